"""HTML pages: self-contained, faithful to the text, and never live markup from a resume."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest

from classifier import classify_text
from classifier.explain.advice import HONESTY_NOTE, what_would_move
from classifier.explain.flip import minimal_flip
from classifier.explain.sections import section_breakdown
from classifier.model.scoring import ScoringModel
from classifier.render.html import render_batch_index, render_html
from classifier.render.htmlkit import page_name
from classifier.render.numbers import probability
from classifier.results import Classification, Explanation, Row, other_role

from .conftest import EXAMPLES

HOSTILE = '<script>alert(1)</script> <img src=x onerror=alert(1)> "><b>bold</b>'
HOSTILE_NAME = 'cv"><script>alert(2)</script><img src=x onerror=alert(3)>.pdf'


class Page(HTMLParser):
    """Collects every element, its attributes, the text of <pre>, and inline scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.pre: list[str] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_pre = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_pre += tag == "pre"
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_pre -= tag == "pre"
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)
            return
        self.text.append(data)
        if self._in_pre:
            self.pre.append(data)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    return parser


def _page(result: Classification, model: ScoringModel) -> str:
    return render_html(
        Explanation(
            result,
            what_would_move(result, model),
            minimal_flip(result, model),
            section_breakdown(result),
            detailed=True,
            toward=other_role(result.lean),  # asked for: listed even when the lean is settled
        )
    )


@pytest.fixture(scope="module")
def scientist(model: ScoringModel) -> Classification:
    path = EXAMPLES / "scientist_resume.txt"
    return classify_text(path.read_text(encoding="utf-8"), model, source=str(path))


def _assert_no_live_markup(parsed: Page) -> None:
    names = [tag for tag, _ in parsed.tags]
    for forbidden in ("script", "img", "b", "iframe", "object", "embed", "link"):
        assert forbidden not in names, forbidden
    for tag, attrs in parsed.tags:
        assert not [a for a in attrs if a.lower().startswith("on")], (tag, attrs)


def test_hostile_resume_text_and_file_name_are_never_markup(model: ScoringModel) -> None:
    text = (
        f"EXPERIENCE\nMachine learning engineer {HOSTILE}: Kubernetes, model serving, MLflow.\n"
        f"SKILLS\nPyTorch, Docker {HOSTILE} Bayesian statistics, causal inference\n"
    )
    r = classify_text(text, model, source=HOSTILE_NAME)
    page = _page(r, model)
    parsed = parse(page)
    _assert_no_live_markup(parsed)
    assert "".join(parsed.pre) == r.text  # the resume is shown as text, all of it
    shown = "".join(parsed.text)
    assert HOSTILE in shown and HOSTILE_NAME in shown
    assert "<script>alert(1)" not in page and "<img src=x" not in page and '"><b>' not in page


def test_page_is_self_contained(scientist: Classification, model: ScoringModel) -> None:
    page = _page(scientist, model)
    parsed = parse(page)
    assert not parsed.scripts
    for tag, attrs in parsed.tags:
        for name in ("src", "href", "srcset", "action", "data"):
            assert name not in attrs, (tag, attrs)
        assert "url(" not in (attrs.get("style") or "")
    assert "@import" not in page and "url(" not in page and "http://" not in page
    csp = next(a["content"] for t, a in parsed.tags if a.get("http-equiv"))
    assert csp is not None and "default-src 'none'" in csp and "script-src" not in csp


def test_every_occurrence_is_highlighted_with_its_numbers(
    scientist: Classification, model: ScoringModel
) -> None:
    parsed = parse(_page(scientist, model))
    marks = [a for t, a in parsed.tags if t == "mark" and (a.get("title") or "").count("\n") >= 2]
    # one mark per span; a held title shares its phrase's span (or overlaps it: first wins)
    shown: list[tuple[int, int]] = []
    for start, end in sorted({span for c in scientist.contributions for span in c.spans}):
        if not shown or start >= shown[-1][1]:
            shown.append((start, end))
    assert len(marks) == len(shown)
    bayes = next(c for c in scientist.contributions if c.term == "bayesian")
    titles = [a["title"] or "" for a in marks if (a["title"] or "").startswith("bayesian:")]
    assert len(titles) == bayes.count
    assert f"found {bayes.count} times" in titles[0]
    assert f"article section: {bayes.section}" in titles[0]
    assert f"written here as: {', '.join(bayes.matched)}" in titles[0]
    assert {a["class"] for a in marks} == {"e", "s"}


def test_page_carries_sections_advice_honesty_and_flip(
    scientist: Classification, model: ScoringModel
) -> None:
    flip = minimal_flip(scientist, model)
    assert flip is not None
    page = _page(scientist, model)
    text = " ".join(parse(page).text)
    assert HONESTY_NOTE in text
    assert "What would move it toward ML Engineer" in text
    assert "What would flip it to ML Engineer" in text
    for name in ("Experience", "Education", "Skills", "Publications", "Bias (model intercept)"):
        assert name in text
    for term in flip.terms:
        assert f">{term}<" in page
    first = what_would_move(scientist, model)[0].suggestions[0]
    assert f">{first.term}<" in page


def test_no_flip_and_no_advice_render(model: ScoringModel) -> None:
    r = classify_text("Kubernetes, Docker, MLflow, model serving, CI/CD, Terraform.", model)
    page = render_html(Explanation(r, (), None, section_breakdown(r), detailed=True))
    assert "would flip it if removed" in page
    _assert_no_live_markup(parse(page))


def test_probability_never_rounds_to_certainty() -> None:
    assert probability(0.5) == "50.0%"
    assert probability(0.999999) == "99.99990%"
    assert probability(2.2e-6) == "0.00022%"
    assert probability(1.0) == "100%"


def _row(source: str, label: str | None, p: float | None, logit: float | None, **kw: str) -> Row:
    status = "ok" if label else "error"
    return Row(source, status, "", "pdfium", "", label=label, scientist_probability=p,
               logit=logit, **kw)  # fmt: skip


def _rows() -> list[Row]:
    return [
        _row("a/sci.pdf", "scientist", 0.97, 3.5),
        _row("b/eng.pdf", "engineer", 0.02, -3.9),
        _row("dup.pdf", "engineer", 0.02, -3.9, duplicate_of="b/eng.pdf"),
        _row(HOSTILE_NAME, None, None, None, error=f"not a PDF {HOSTILE}"),
        _row("javascript:alert(1)", "undetermined", 0.4, -0.4),
    ]


def test_batch_index_is_escaped_sortable_and_self_contained() -> None:
    rows = _rows()
    page = render_batch_index(rows)
    parsed = parse(page)
    names = [t for t, _ in parsed.tags]
    assert names.count("script") == 1 and "img" not in names and "b" not in names
    for _, attrs in parsed.tags:
        assert not [a for a in attrs if a.lower().startswith("on")]
    shown = "".join(parsed.text)
    assert HOSTILE_NAME in shown and HOSTILE in shown
    links = [a["href"] for t, a in parsed.tags if t == "a"]
    assert links == [page_name(r.source) for r in rows if r.ok]
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+\.html", h or "") for h in links)
    script = parsed.scripts[0]
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    csp = next(a["content"] for t, a in parsed.tags if a.get("http-equiv")) or ""
    assert f"script-src 'sha256-{digest}'" in csp and "default-src 'none'" in csp
    assert "<svg" in page and "http://" not in page.replace("http://www.w3.org", "")
    assert len([t for t, _ in parsed.tags if t == "tr"]) == len(rows) + 1


def test_batch_index_uses_a_given_page_and_survives_empty_input() -> None:
    row = _row("x.pdf", "scientist", 0.7, 0.8)
    page = render_batch_index([row], {"x.pdf": "pages/x 1.html"})
    assert 'href="pages/x%201.html"' in page
    assert "0 failed" in render_batch_index([]) and "<svg" in render_batch_index([])


def test_page_names_are_safe_and_distinct() -> None:
    names = {page_name(s) for s in ["a/b.pdf", "a_b.pdf", "../../etc/passwd", "é 1.pdf", ""]}
    assert len(names) == 5
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+\.html", n) and ".." not in n[:2] for n in names)
