"""Result types: frozen dataclasses with no I/O.

Data flows ``extract`` -> :class:`Document` -> ``text`` (:class:`TermMatch`) ->
``model``/``explain`` -> :class:`Classification`; renderers take only these
types and return strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The two roles: index 0 is the negative side of the logit, 1 the positive.
ENGINEER, SCIENTIST = "engineer", "scientist"


def lean_of(logit: float) -> str:
    """The role a logit points to (0 counts as scientist, as P = 0.5 does)."""
    return SCIENTIST if logit >= 0 else ENGINEER


def other_role(role: str) -> str:
    """The role that is not ``role``."""
    return ENGINEER if role == SCIENTIST else SCIENTIST


@dataclass(frozen=True, slots=True)
class Document:
    """Text pulled out of one file, normalised, with what went wrong on the way."""

    source: str
    text: str
    pages: int = 0
    warnings: tuple[str, ...] = ()
    engine: str = "text"
    ocr: bool = False  # some text was machine-read from page images


@dataclass(frozen=True, slots=True)
class TermMatch:
    """One occurrence of a vocabulary term at ``text[start:end]``."""

    term: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class TermInfo:
    """What the vocabulary says about a canonical term."""

    term: str
    role: str  # "engineer" | "scientist" | "shared"
    section: str
    origin: str  # "article" | "expansion"
    ml: bool
    #: May it be suggested as advice? False for industries, adjectives and honours, which a
    #: candidate cannot act on truthfully.
    advice: bool = True


@dataclass(frozen=True, slots=True)
class Contribution:
    """One term's share of the logit: ``weight = coefficient * tfidf``.

    A positive weight pushes toward the positive label (scientist).
    """

    term: str
    weight: float
    count: int
    tfidf: float
    coefficient: float
    role: str
    section: str
    spans: tuple[tuple[int, int], ...] = ()
    #: The words the text itself used for this term, as written, each once, in order of
    #: appearance ("Elasticsearch", "DynamoDB" for data stores).
    matched: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Classification:
    """The verdict on one document, with an explanation that adds up.

    ``bias + sum(c.weight for c in contributions) == logit`` (to 1e-9).
    """

    source: str
    label: str  # "engineer" | "scientist" | "undetermined"
    scientist_probability: float
    logit: float
    bias: float
    contributions: tuple[Contribution, ...]
    evidence_terms: int
    ml_terms: int
    warnings: tuple[str, ...] = ()
    pages: int = 0
    engine: str = "text"
    model: str = ""
    text: str = field(default="", repr=False)
    ocr: bool = False
    #: "resume" or "posting" (a job posting speaks to its reader: text/structure.py).
    kind: str = "resume"

    @property
    def lean(self) -> str:
        """The side the logit points to, even when the label is undetermined."""
        return lean_of(self.logit)


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What a batch run did, for the closing summary and the exit code."""

    output: str
    files: int
    scored: int
    kept: int
    ignored: int
    duplicates: int
    labels: tuple[tuple[str, int], ...]
    failures: tuple[tuple[str, str], ...]  # (source, one-line reason)
    seconds: float
    torn_line_dropped: bool = False
    stale_rows_dropped: int = 0
    ocr: int = 0  # rows whose text was partly machine-read
    skipped: int = 0  # rows of files of a type not read (never failures)
    skipped_files: tuple[str, ...] = ()  # their sources, for the summary
    hidden: int = 0  # hidden files and folders (".*", AppleDouble "._*") left out, no row

    @property
    def files_per_second(self) -> float:
        return self.scored / self.seconds if self.seconds > 0 else 0.0


# --- explanations people act on: advice, flip sets, resume sections ---------


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A role term the resume lacks, and exactly what adding it once would do to the score.

    ``logit_gain = logit_after - logit``, recomputed with the re-normalised
    tf-idf vector (never a sum of contributions).
    """

    term: str
    role: str
    section: str  # the article section of the vocabulary
    coefficient: float
    logit_gain: float
    logit_after: float
    probability_after: float


@dataclass(frozen=True, slots=True)
class Advice:
    """The strongest missing terms of one article section, toward one role."""

    section: str
    toward: str  # "engineer" | "scientist"
    suggestions: tuple[Suggestion, ...]


@dataclass(frozen=True, slots=True)
class FlipSet:
    """Present terms whose removal (every occurrence) flips the lean; none can be spared."""

    terms: tuple[str, ...]
    logit_after: float
    probability_after: float

    @property
    def lean_after(self) -> str:
        return lean_of(self.logit_after)


@dataclass(frozen=True, slots=True)
class Section:
    """One resume section: ``text[start:end]``, from its heading line to the next heading."""

    name: str  # canonical: "Experience", "Education", ... or "Header"
    heading: str  # the heading line as written ("" for the header)
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class SectionTerm:
    """A term's share of the logit inside one resume section (split by its occurrences)."""

    term: str
    weight: float
    count: int


@dataclass(frozen=True, slots=True)
class SectionShare:
    """The net contribution of one resume section (all its headings merged) to the logit."""

    name: str
    contribution: float
    terms: tuple[SectionTerm, ...]
    headings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Explanation:
    """What every renderer takes: a classification and, on request, what a person acts on.

    ``detailed`` is True when advice, the flip set and sections were computed
    (``classify``, the HTML report); a batch row has no use for them, so they
    are not computed there.
    """

    result: Classification
    advice: tuple[Advice, ...] = ()
    flip: FlipSet | None = None
    sections: tuple[SectionShare, ...] = ()
    detailed: bool = False
    #: The direction the advice was asked for (``--toward``), None for the default.
    toward: str | None = None
    #: For an undetermined text: machine-learning terms it lacks (what is missing is
    #: evidence of the field, not of a role).
    missing_ml: tuple[str, ...] = ()
    #: The verdict stands just past the evidence bar (see explain.thin_evidence).
    thin: bool = False


@dataclass(frozen=True, slots=True)
class TermWeight:
    """A term's share of the logit as a batch row keeps it (no spans, no tf-idf)."""

    term: str
    weight: float
    count: int
    role: str
    section: str
    matched: tuple[str, ...] = ()


#: A batch row's status: scored, could not be read (``error`` says why), or of a type
#: the run does not read (``error`` says which and why; never a failure).
OK = "ok"
ERROR = "error"
SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class Row:
    """One file of a batch: the same fields for a scored file and for a failure.

    Built only by :meth:`scored`, :meth:`failed` and :meth:`skipped` (or read back from an output
    file); the JSONL and CSV writers, the resume logic and the HTML index all
    read this type. Fields that a failure cannot have are ``None``.
    """

    source: str  # path relative to the batch folder
    status: str  # OK | ERROR | SKIPPED
    sha256: str
    engine: str
    model: str
    label: str | None = None
    lean: str | None = None
    scientist_probability: float | None = None
    logit: float | None = None
    bias: float | None = None
    contributions: tuple[TermWeight, ...] = ()
    evidence_terms: int | None = None
    ml_terms: int | None = None
    pages: int | None = None
    ocr: bool | None = None
    warnings: tuple[str, ...] = ()
    error: str | None = None
    duplicate_of: str | None = None
    kind: str | None = None

    @classmethod
    def scored(cls, result: Classification, source: str, sha256: str) -> Row:
        """The row of a classified file (terms with a zero weight left out, as in the JSON)."""
        return cls(
            source=source,
            status=OK,
            sha256=sha256,
            engine=result.engine,
            model=result.model,
            label=result.label,
            lean=result.lean,
            scientist_probability=result.scientist_probability,
            logit=result.logit,
            bias=result.bias,
            contributions=tuple(
                TermWeight(c.term, c.weight, c.count, c.role, c.section, c.matched)
                for c in result.contributions
                if c.weight != 0.0
            ),
            evidence_terms=result.evidence_terms,
            ml_terms=result.ml_terms,
            pages=result.pages,
            ocr=result.ocr,
            warnings=result.warnings,
            kind=result.kind,
        )

    @classmethod
    def failed(cls, source: str, sha256: str, error: str, engine: str, model: str) -> Row:
        """The row of a file that could not be read or scored: ``error`` is the one-line reason."""
        return cls(source=source, status=ERROR, sha256=sha256, engine=engine, model=model,
                   error=error)  # fmt: skip

    @classmethod
    def skipped(cls, source: str, sha256: str, reason: str, engine: str, model: str) -> Row:
        """The row of a file of a type the run does not read: ``reason`` says which and why."""
        return cls(source=source, status=SKIPPED, sha256=sha256, engine=engine, model=model,
                   error=reason)  # fmt: skip

    @property
    def ok(self) -> bool:
        return self.status == OK
