"""Where a batch's time goes with the pdfium engine, against a bare pypdfium2 loop (issue 17).

python bench/profile_batch.py [--files 400] [--rounds 3] [--label before] [--no-write]

Generates DISTINCT resume PDFs once into bench/out/profile-<n>/ (reportlab, deterministic):
1-4 pages; one column, two columns, every glyph its own text object (as some LaTeX and
PDF generators write), every word its own text object (as some word processors write),
faux-bold headings and titles (each glyph drawn twice), and some with hidden
text (white, tiny, invisible render mode, off the page). Then, in one run:

* per-file cost of the pdfium engine in this process, by stage (open, hidden-text check,
  column analysis, text extraction, normalisation, analyzer, scoring), each stage timed by
  wrapping the engine's own functions, against a bare pypdfium2 loop (``PdfDocument(data)``,
  ``get_textpage().get_text_range()`` per page) over the same bytes; rounds alternate and
  the medians are reported;
* ``resume-role batch -j 1`` and ``-j 2 --engine pdfium`` wall time over the same folder,
  against the bare loop run the same way (a fresh process over the folder);
* ``classify --json`` in a fresh process: ``-X importtime`` top imports, and its wall time
  against a bare pdfplumber extraction and a bare pypdfium2 extraction of the same file.

The table is appended to bench/results.md under "Batch profile (bench/profile_batch.py)".
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from common import OUT, ROOT, machine, record

HEADING = "## Batch profile (bench/profile_batch.py)"

# ----------------------------------------------------------------------------- corpus

#: Share of each layout in the generated folder (the rest is "plain").
LAYOUTS = (
    ("two_column", 0.22),
    ("words", 0.22),
    ("glyphs", 0.08),
    ("faux_bold", 0.10),
    ("faux_all", 0.03),
)
HIDDEN_SHARE = 0.08
HIDDEN_KINDS = ("white", "tiny", "invisible", "off_page")
FIRST = ["Avery", "Jordan", "Priya", "Mateo", "Lin", "Sofia", "Kwame", "Hana", "Ravi",
         "Elena", "Tomasz", "Amara", "Noah", "Yuki", "Omar", "Ingrid", "Diego", "Mei"]  # fmt: skip
LAST = ["Okafor", "Raman", "Novak", "Schmidt", "Tanaka", "Haddad", "Moreau", "Silva", "Kowalski",
        "Andersen", "Mensah", "Park", "Rossi", "Nakamura", "Osei", "Fischer", "Lindqvist"]  # fmt: skip
EMPLOYERS = ["Tidewater Energy", "Crestline Bank", "Northwind Labs", "Bluefin Robotics",
             "Helios Health", "Quarry Analytics", "Lattice Systems", "Orchid Genomics",
             "Meridian Retail", "Cobalt Mobility", "Vantage Research"]  # fmt: skip
TITLES = {
    "engineer": ["Machine Learning Engineer", "Senior ML Engineer", "MLOps Engineer",
                 "Software Engineer", "Data Engineer", "Platform Engineer"],
    "scientist": ["Research Scientist", "Applied Scientist", "Data Scientist",
                  "Postdoctoral Researcher", "Senior Research Scientist", "ML Researcher"],
}  # fmt: skip
SKILLS = ["Python", "PyTorch", "TensorFlow", "JAX", "scikit-learn", "SQL", "Spark", "Kubernetes",
          "Docker", "MLflow", "Airflow", "Terraform", "AWS SageMaker", "GCP", "Bayesian methods",
          "causal inference", "statistics", "R", "CUDA", "ONNX", "Triton", "Kafka", "dbt",
          "Ray", "Hugging Face", "LaTeX", "experiment design", "A/B testing", "Go", "Rust"]  # fmt: skip
EDUCATION = ["B.S. Computer Science, University of Colorado, 2015",
             "Ph.D. Statistics, University of Toronto, 2019",
             "M.S. Electrical Engineering, TU Delft, 2017",
             "Ph.D. Computational Biology, ETH Zurich, 2020"]  # fmt: skip
HIDDEN_WORDS = "NeurIPS ICML PhD Bayesian theorem research publications Kubernetes MLflow"


def _corpus_lines() -> dict[str, list[str]]:
    import json

    lines: dict[str, list[str]] = {"engineer": [], "scientist": []}
    for row in (ROOT / "training_data" / "corpus" / "lines.jsonl").read_text().splitlines():
        obj = json.loads(row)
        lines[obj["label"]].append(obj["text"])
    return lines


def _plan(i: int, rng: random.Random, lines: dict[str, list[str]]) -> dict[str, Any]:
    """The content and layout of resume ``i``: distinct text, 1-4 pages."""
    label = "engineer" if i % 2 == 0 else "scientist"
    pages = rng.choice((1, 1, 2, 2, 2, 3, 4))
    roll, layout = rng.random(), "plain"
    for name, share in LAYOUTS:
        if roll < share:
            layout = name
            break
        roll -= share
    entries = []
    bullets_wanted = {1: 8, 2: 26, 3: 45, 4: 64}[pages] + rng.randint(-2, 3)
    year = 2024
    while bullets_wanted > 0:
        k = min(bullets_wanted, rng.randint(3, 6))
        span = rng.randint(1, 4)
        entries.append(
            {
                "title": rng.choice(TITLES[label]),
                "employer": rng.choice(EMPLOYERS),
                "dates": f"{year - span} - {year if year < 2024 else 'Present'}",
                "bullets": rng.sample(lines[label], k),
            }
        )
        year -= span
        bullets_wanted -= k
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    hidden = rng.choice(HIDDEN_KINDS) if rng.random() < HIDDEN_SHARE else None
    return {
        "label": label,
        "layout": layout,
        "hidden": hidden,
        "name": f"{name} {i}",
        "contact": f"{name.split()[0].lower()}{i}@example.com  |  (555) 01{i % 10}-{1000 + i}",
        "summary": " ".join(rng.sample(lines[label], 2)),
        "entries": entries,
        "skills": ", ".join(rng.sample(SKILLS, rng.randint(8, 16))),
        "education": rng.choice(EDUCATION),
        "font": rng.choice(("Helvetica", "Helvetica", "Times-Roman")),
        # word by word (one text object per word, as some word processors write), or lines
        "words": layout == "words" or (layout == "two_column" and rng.random() < 0.5),
        "size": rng.choice((9.5, 10.0, 10.5)),
    }


class _Page:
    """A top-down writer over a reportlab canvas that starts new pages as needed."""

    def __init__(self, c: Any, plan: dict[str, Any], x: float, width: float, top: float) -> None:
        self.c, self.plan, self.x, self.width, self.top = c, plan, x, width, top
        self.y = top
        self.font, self.size = plan["font"], plan["size"]
        self.bold = "Helvetica-Bold" if self.font == "Helvetica" else "Times-Bold"
        self.leading = self.size * 1.3

    def _room(self) -> None:
        if self.y < 54:
            self.c.showPage()
            self.y = 792 - 54

    def draw(self, text: str, font: str | None = None, size: float | None = None,
             indent: float = 0.0, mode: str | None = None) -> None:  # fmt: skip
        self._room()
        font, size = font or self.font, size or self.size
        x = self.x + indent
        mode = mode or {"faux_all": "faux"}.get(self.plan["layout"], self.plan["layout"])
        from reportlab.pdfbase.pdfmetrics import stringWidth

        if mode in ("glyphs", "faux"):
            for ch in text:
                self.c.setFont(font, size)
                self.c.drawString(x, self.y, ch)
                if mode == "faux":
                    self.c.drawString(x + 0.3, self.y, ch)
                x += stringWidth(ch, font, size)
        elif self.plan["words"]:
            self.c.setFont(font, size)
            for word in text.split(" "):
                self.c.drawString(x, self.y, word)
                x += stringWidth(word + " ", font, size)
        else:
            self.c.setFont(font, size)
            self.c.drawString(x, self.y, text)
        self.y -= self.leading

    def para(self, text: str, indent: float = 0.0) -> None:
        from reportlab.lib.utils import simpleSplit

        for line in simpleSplit(text, self.font, self.size, self.width - indent):
            self.draw(line, indent=indent)

    def heading(self, text: str) -> None:
        self.y -= 4
        faux = self.plan["layout"] in ("faux_bold", "faux_all", "glyphs")
        self.draw(text.upper(), font=self.font if faux else self.bold, size=self.size + 1.5,
                  mode="faux" if faux else None)  # fmt: skip
        self.y -= 2


def _hidden(c: Any, kind: str) -> None:
    """Text a reader cannot see, of the given kind, on the current page."""
    t = c.beginText()
    if kind == "white":
        t.setFillColorRGB(1, 1, 1)
        t.setFont("Helvetica", 9)
        t.setTextOrigin(60, 300)
    elif kind == "tiny":
        t.setFont("Helvetica", 1)
        t.setTextOrigin(60, 300)
    elif kind == "invisible":
        t.setTextRenderMode(3)
        t.setFont("Helvetica", 9)
        t.setTextOrigin(60, 300)
    else:
        t.setFont("Helvetica", 9)
        t.setTextOrigin(60, -400)
    t.textLine(HIDDEN_WORDS)
    c.drawText(t)


def write_resume(path: Path, plan: dict[str, Any]) -> None:
    from reportlab.pdfgen.canvas import Canvas

    c = Canvas(str(path), pagesize=(612, 792), invariant=1, pageCompression=1)
    c.setTitle(plan["name"])
    two = plan["layout"] == "two_column"
    head = _Page(c, plan, 54, 504, 792 - 60)
    head.draw(plan["name"], font=head.bold, size=18)
    head.draw(plan["contact"], size=9)
    if plan["hidden"]:
        c.saveState()  # the text render mode (invisible) outlives the text object
        _hidden(c, plan["hidden"])
        c.restoreState()
    if two:
        c.setLineWidth(0.5)
        c.line(54, head.y + 4, 558, head.y + 4)
        side = _Page(c, plan, 54, 130, head.y - 8)
        side.heading("Skills")
        for skill in plan["skills"].split(", "):
            side.draw(skill)
        side.heading("Education")
        side.para(plan["education"])
        main = _Page(c, plan, 220, 338, head.y - 8)
    else:
        main = head
    main.heading("Summary")
    main.para(plan["summary"])
    main.heading("Experience")
    for entry in plan["entries"]:
        title = f"{entry['title']}, {entry['employer']}  ({entry['dates']})"
        if plan["layout"] in ("faux_bold", "faux_all"):
            main.draw(title, mode="faux")
        else:
            main.draw(title, font=main.bold)
        for bullet in entry["bullets"]:
            main.para("- " + bullet, indent=8)
        main.y -= 3
    if not two:
        main.heading("Skills")
        main.para(plan["skills"])
        main.heading("Education")
        main.para(plan["education"])
    c.save()


#: Bumped when write_resume changes, so that files written by an older one are not reused
#: (v2: the planted invisible line no longer leaves the rest of its page invisible).
GENERATOR = "v2"


def make_corpus(n: int, seed: int = 17) -> tuple[Path, list[Path], dict[str, dict[str, Any]]]:
    """``n`` distinct resume PDFs in bench/out/profile-<n>/, written once; their plans."""
    folder = OUT / f"profile-{n}-{GENERATOR}"
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    lines = _corpus_lines()
    paths, plans = [], {}
    for i in range(n):
        plan = _plan(i, rng, lines)
        path = (
            folder
            / f"cv-{i:04d}-{plan['layout']}{'-' + plan['hidden'] if plan['hidden'] else ''}.pdf"
        )
        if not path.exists():
            write_resume(path, plan)
        paths.append(path)
        plans[path.name] = plan
    return folder, paths, plans


# ----------------------------------------------------------------------------- in-process

#: Stage -> engine functions (in classifier.read.pdfium) whose time is the stage's.
#: Functions a version of the engine does not have are skipped; column time is taken out
#: of the page-text function's time, which is the text extraction.
STAGES = {
    "open": ("open_pdf",),
    "hidden": ("_hidden_text_objects", "_has_hidden_text", "_take_out", "_char_count"),
    "columns": ("_may_have_columns", "_words", "column_regions", "_column_regions"),
    "text": ("_page_text",),
}


class _Timer:
    def __init__(self) -> None:
        self.totals: dict[str, float] = defaultdict(float)
        self.depth: dict[str, int] = defaultdict(int)

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            if self.depth[stage]:  # inside another function of the stage: counted there
                return fn(*args, **kwargs)
            self.depth[stage] += 1
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.totals[stage] += time.perf_counter() - start
                self.depth[stage] -= 1

        return timed


def _instrument(timer: _Timer) -> Callable[[], None]:
    from classifier.read import pdfium, plumber

    saved = []
    targets = [(pdfium, stage, name) for stage, names in STAGES.items() for name in names]
    targets.append((plumber, "reread", "plumber_pages"))
    for module, stage, name in targets:
        fn = getattr(module, name, None)
        if callable(fn):
            saved.append((module, name, fn))
            setattr(module, name, timer.wrap(stage, fn))

    def restore() -> None:
        for module, name, fn in saved:
            setattr(module, name, fn)

    return restore


def profile_engine(datas: list[tuple[str, bytes]]) -> dict[str, dict[str, float]]:
    """Seconds per stage of each file (one pass), the pdfium engine as batch runs it."""
    from classifier.explain.contributions import explain_matches
    from classifier.model.store import load_model
    from classifier.read import dispatch
    from classifier.read.normalize import normalize
    from classifier.results import Document

    model = load_model()
    files: dict[str, dict[str, float]] = {}
    for name, data in datas:
        timer = _Timer()
        restore = _instrument(timer)
        try:
            start = time.perf_counter()
            read = dispatch._read_pdf("pdfium", Path(name), data, 30, reread_hidden=True)
            t1 = time.perf_counter()
        finally:
            restore()
        text = normalize("\n".join(read.pages))
        t2 = time.perf_counter()
        matches = model.analyzer.find(text)
        t3 = time.perf_counter()
        explain_matches(Document(name, text, read.npages, (), "pdfium"), model, matches)
        t4 = time.perf_counter()
        stages = dict(timer.totals)
        stages["text"] = stages.get("text", 0.0) - stages.get("columns", 0.0)
        stages.update(read=t1 - start, normalise=t2 - t1, analyzer=t3 - t2, scoring=t4 - t3)
        stages["engine"] = stages["read"] - stages.get("reread", 0.0)
        files[name] = stages
    return files


def reference_loop(datas: list[tuple[str, bytes]]) -> dict[str, float] | None:
    """Seconds of each file read by the engine as it was before issue 17 (the reference kept
    in tests/test_pdfium_speedup.py), or None where the tests are not at hand."""
    try:
        from tests.test_pdfium_speedup import ref_pdfium_pages
    except ImportError:
        return None
    files = {}
    for name, data in datas:
        start = time.perf_counter()
        ref_pdfium_pages(data, Path(name), 30)
        files[name] = time.perf_counter() - start
    return files


def bare_loop(datas: list[tuple[str, bytes]]) -> dict[str, float]:
    """Seconds of each file read by a bare pypdfium2 loop."""
    import pypdfium2 as pdfium

    files = {}
    for name, data in datas:
        start = time.perf_counter()
        pdf = pdfium.PdfDocument(data)
        for page in pdf:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        pdf.close()
        files[name] = time.perf_counter() - start
    return files


def hidden_split(datas: list[tuple[str, bytes]], plans: dict[str, dict[str, Any]]) -> dict:
    """Which files the engine finds hidden text in, and whether the engine's text of those
    files gives the same vocabulary terms as pdfplumber's (which leaves hidden glyphs out)."""
    from collections import Counter

    import pypdfium2 as pdfium

    from classifier.model.store import load_model
    from classifier.read import extract
    from classifier.read.pdfium import _hidden_text_objects

    found, planted = set(), set()
    for name, data in datas:
        pdf = pdfium.PdfDocument(data)
        for page in pdf:
            if _hidden_text_objects(page):
                found.add(Path(name).name)
            page.close()
        pdf.close()
        if plans[Path(name).name]["hidden"]:
            planted.add(Path(name).name)
    analyzer = load_model().analyzer
    same = {True: 0, False: 0}
    count = {True: 0, False: 0}
    for name, _ in datas:
        terms = [
            Counter(m.term for m in analyzer.find(extract(Path(name), engine=e).text))
            for e in ("pdfium", "pdfplumber")
        ]
        key = Path(name).name in planted
        same[key] += terms[0] == terms[1]
        count[key] += 1
    return {"found": len(found), "planted": len(planted), "agree": found == planted,
            "same_terms": same[True], "same_clean": same[False], "clean": count[False]}  # fmt: skip


# ----------------------------------------------------------------------------- processes

BARE_FOLDER = """
import sys, pypdfium2 as pdfium
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob("*.pdf")):
    pdf = pdfium.PdfDocument(path.read_bytes())
    for page in pdf:
        tp = page.get_textpage(); tp.get_text_range(); tp.close(); page.close()
    pdf.close()
"""
BARE_PLUMBER = (
    "import sys, pdfplumber\n"
    "with pdfplumber.open(sys.argv[1]) as pdf:\n"
    "    text = '\\n'.join(p.extract_text() or '' for p in pdf.pages)\n"
    "print(len(text))\n"
)
BARE_PDFIUM = (
    "import sys, pypdfium2 as pdfium\n"
    "pdf = pdfium.PdfDocument(sys.argv[1])\n"
    "text = '\\n'.join(p.get_textpage().get_text_range() for p in pdf)\n"
    "print(len(text))\n"
)


def _wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def batch_times(folder: Path, rounds: int) -> dict[str, list[float]]:
    out = OUT / "profile-batch.jsonl"
    cmds = {
        "bare": [sys.executable, "-c", BARE_FOLDER, str(folder)],
        "jobs1": [sys.executable, "-m", "classifier", "batch", str(folder), "-o", str(out),
                  "--engine", "pdfium", "--jobs", "1"],
        "jobs2": [sys.executable, "-m", "classifier", "batch", str(folder), "-o", str(out),
                  "--engine", "pdfium", "--jobs", "2"],
    }  # fmt: skip
    times: dict[str, list[float]] = defaultdict(list)
    for _ in range(rounds):
        for key, cmd in cmds.items():
            out.unlink(missing_ok=True)
            times[key].append(_wall(cmd))
    return times


def classify_times(pdf: Path, runs: int) -> dict[str, list[float]]:
    # As `pip install` leaves it: the package's bytecode compiled (an editable install under
    # PYTHONDONTWRITEBYTECODE, as on these machines, would compile ~35 modules a run).
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "classifier")], check=True)
    cmds = {
        "plumber": [sys.executable, "-c", BARE_PLUMBER, str(pdf)],
        "pdfium": [sys.executable, "-c", BARE_PDFIUM, str(pdf)],
        "classify": [sys.executable, "-m", "classifier", "classify", str(pdf), "--json"],
        "classify_pdfium": [sys.executable, "-m", "classifier", "classify", str(pdf), "--json",
                            "--engine", "pdfium"],
    }  # fmt: skip
    for cmd in cmds.values():
        _wall(cmd)  # warm the file cache
    times: dict[str, list[float]] = defaultdict(list)
    for _ in range(runs):
        for key, cmd in cmds.items():
            times[key].append(_wall(cmd))
    return times


def top_imports(pdf: Path, n: int = 8) -> list[tuple[str, float]]:
    """The slowest top-level imports of ``classify --json`` (cumulative, ms)."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "classifier", "classify", str(pdf), "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if m and len(m.group(3)) == 1:  # top level
            rows.append((m.group(4), int(m.group(2)) / 1000))
    return sorted(rows, key=lambda r: -r[1])[:n]


# ----------------------------------------------------------------------------- report


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=400)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--label", default="")
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--skip-processes", action="store_true")
    ap.add_argument(
        "--no-reference", action="store_true", help="do not time the engine as it was before"
    )
    args = ap.parse_args()

    started = time.perf_counter()
    folder, paths, plans = make_corpus(args.files)
    datas = [(str(p), p.read_bytes()) for p in paths]
    pages = 0
    import pypdfium2 as pdfium

    for _, data in datas:
        pdf = pdfium.PdfDocument(data)
        pages += len(pdf)
        pdf.close()
    layouts = defaultdict(int)
    for plan in plans.values():
        layouts[plan["layout"]] += 1
    hidden = hidden_split(datas, plans)

    # In-process: engine stages and the bare loop, alternating; medians over rounds.
    profile_engine(datas[:20]), bare_loop(datas[:20])  # warm up
    engine_rounds, bare_rounds, ref_rounds = [], [], []
    for _ in range(args.rounds):
        bare_rounds.append(bare_loop(datas))
        engine_rounds.append(profile_engine(datas))
        ref = None if args.no_reference else reference_loop(datas)
        if ref is not None:
            ref_rounds.append(ref)
    n = len(datas)

    def ref_ms(names: list[str]) -> float:
        return statistics.median(
            sum(r[name] for name in names) / len(names) * 1000 for r in ref_rounds
        )

    def ref_ratio(names: list[str]) -> float:
        return statistics.median(
            sum(r[name] for name in names) / sum(b[name] for name in names)
            for r, b in zip(ref_rounds, bare_rounds, strict=True)
        )

    def med_ms(names: list[str], stage: str) -> float:
        """Median over rounds of the mean ms per file of ``stage`` over ``names``."""
        per_round = [
            sum(r[name].get(stage, 0.0) for name in names) / len(names) * 1000
            for r in engine_rounds
        ]
        return statistics.median(per_round)

    def bare_ms(names: list[str]) -> float:
        return statistics.median(
            sum(r[name] for name in names) / len(names) * 1000 for r in bare_rounds
        )

    def ratio(names: list[str], stage: str = "engine") -> float:
        return statistics.median(
            sum(e[name][stage] for name in names) / sum(b[name] for name in names)
            for e, b in zip(engine_rounds, bare_rounds, strict=True)
        )

    everything = [name for name, _ in datas]
    ms = {stage: med_ms(everything, stage) for stage in
          ("open", "hidden", "columns", "text", "engine", "reread", "read", "normalise",
           "analyzer", "scoring")}  # fmt: skip
    other = ms["engine"] - ms["open"] - ms["hidden"] - ms["columns"] - ms["text"]
    groups = {
        "ordinary (one or two columns, lines or words; no hidden text)": [
            name
            for name in everything
            if plans[Path(name).name]["layout"] in ("plain", "words", "two_column")
            and not plans[Path(name).name]["hidden"]
        ],
        "... one column (a text object per line or per word)": [
            name
            for name in everything
            if plans[Path(name).name]["layout"] in ("plain", "words")
            and not plans[Path(name).name]["hidden"]
        ],
        "... two columns (a sparse sidebar and a main column)": [
            name
            for name in everything
            if plans[Path(name).name]["layout"] == "two_column"
            and not plans[Path(name).name]["hidden"]
        ],
        "faux-bold headings and titles": [
            name
            for name in everything
            if plans[Path(name).name]["layout"] == "faux_bold"
            and not plans[Path(name).name]["hidden"]
        ],
        "one text object per glyph (glyphs, faux_all)": [
            name
            for name in everything
            if plans[Path(name).name]["layout"] in ("glyphs", "faux_all")
            and not plans[Path(name).name]["hidden"]
        ],
        "hidden text planted (engine only, without any re-read)": [
            name for name in everything if plans[Path(name).name]["hidden"]
        ],
        "all files": everything,
    }

    lines = [
        "",
        f"{HEADING}{' - ' + args.label if args.label else ''}",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}; "
        f"`python bench/profile_batch.py --files {args.files} --rounds {args.rounds}"
        f"{' --label ' + args.label if args.label else ''}`.",
        f"{n} distinct generated resumes, {pages} pages ({pages / n:.2f} a file): "
        + ", ".join(f"{k} {v}" for k, v in sorted(layouts.items()))
        + f"; {hidden['planted']} with planted hidden text, found by the engine in "
        f"{hidden['found']} ({'the same files' if hidden['agree'] else 'NOT the same files'}); "
        f"the pdfium and pdfplumber engines' texts give the same vocabulary terms in "
        f"{hidden['same_terms']} of these and in {hidden['same_clean']} of the other "
        f"{hidden['clean']} (where they differ, it is reading order: columns, glyph-per-object lines).",
        "",
        f"In-process, per file over all {n} files (median of {args.rounds} rounds alternating "
        "with the bare loop):",
        "",
        "| stage | ms / file | share of pdfium_pages |",
        "|---|---|---|",
    ]
    for key, label in (("open", "open (PdfDocument)"), ("hidden", "hidden-text check"),
                       ("columns", "column analysis"),
                       ("text", "text extraction (textpage, get_text)")):  # fmt: skip
        lines.append(f"| {label} | {ms[key]:.2f} | {ms[key] / ms['engine']:.0%} |")
    lines += [
        f"| page load/close, other | {other:.2f} | {other / ms['engine']:.0%} |",
        f"| **pdfium_pages (the engine)** | **{ms['engine']:.2f}** | 100% |",
        f"| pdfplumber re-read of files with hidden text (where PDFium cannot take it out) "
        f"| {ms['reread']:.2f} | |",
        f"| normalisation | {ms['normalise']:.2f} | |",
        f"| analyzer | {ms['analyzer']:.2f} | |",
        f"| scoring (explain) | {ms['scoring']:.2f} | |",
        f"| bare pypdfium2 loop (open, get_text_range per page) | {bare_ms(everything):.2f} | |",
        "",
        "The engine (pdfium_pages) against the bare loop, by kind of file:",
        "",
        "| files | n | hidden ms | columns ms | text ms | engine ms / file | bare loop ms / file "
        "| engine / bare |"
        + (" before (reference) ms / file | before / bare |" if ref_rounds else ""),
        "|---|---|---|---|---|---|---|---|" + ("---|---|" if ref_rounds else ""),
    ]
    for label, names in groups.items():
        if names:
            lines.append(
                f"| {label} | {len(names)} | {med_ms(names, 'hidden'):.2f} | "
                f"{med_ms(names, 'columns'):.2f} | {med_ms(names, 'text'):.2f} | "
                f"{med_ms(names, 'engine'):.2f} | {bare_ms(names):.2f} | {ratio(names):.2f}x |"
                + (f" {ref_ms(names):.2f} | {ref_ratio(names):.2f}x |" if ref_rounds else "")
            )
    if ref_rounds:
        lines += [
            "",
            '"before (reference)": the engine as it was before issue 17, kept in '
            "tests/test_pdfium_speedup.py as the reference the tests compare with, timed in the "
            "same rounds (its pdfium_pages only, without the re-read).",
        ]
    lines.append("")
    if not args.skip_processes:
        bt = batch_times(folder, args.rounds)
        med = {k: statistics.median(v) for k, v in bt.items()}
        lines += [
            f"Fresh processes over the folder (median of {args.rounds}, alternating):",
            "",
            "| run | wall s | files/s | throughput vs bare loop |",
            "|---|---|---|---|",
        ]
        for key, label in (("bare", "bare pypdfium2 loop (python -c)"),
                           ("jobs1", "resume-role batch -j 1 --engine pdfium"),
                           ("jobs2", "resume-role batch -j 2 --engine pdfium")):  # fmt: skip
            lines.append(
                f"| {label} | {med[key]:.2f} | {n / med[key]:.0f} | {med['bare'] / med[key]:.2f} |"
            )
        lines += [f"| -j 2 vs -j 1 | | | {med['jobs1'] / med['jobs2']:.2f}x |", ""]
        sample = ROOT / "examples" / "scientist_resume.pdf"
        ct = classify_times(sample, max(args.rounds * 3, 7))
        cm = {k: statistics.median(v) * 1000 for k, v in ct.items()}
        lines += [
            f"`classify --json examples/scientist_resume.pdf`, fresh process, bytecode "
            f"compiled as an install leaves it (median of {max(args.rounds * 3, 7)}, "
            "alternating):",
            "",
            "| command | ms | vs bare pdfplumber | vs bare pypdfium2 |",
            "|---|---|---|---|",
        ]
        for key, label in (("plumber", "bare `python -c 'import pdfplumber; ...'`"),
                           ("pdfium", "bare `python -c 'import pypdfium2; ...'`"),
                           ("classify", "`resume-role classify --json` (pdfplumber)"),
                           ("classify_pdfium", "`classify --json --engine pdfium`")):  # fmt: skip
            lines.append(
                f"| {label} | {cm[key]:.0f} | {cm[key] / cm['plumber']:.2f}x | "
                f"{cm[key] / cm['pdfium']:.2f}x |"
            )
        imports = top_imports(sample)
        lines += [
            "",
            "Top-level imports of `python -X importtime -m classifier classify FILE --json` "
            "(cumulative): " + ", ".join(f"{name} {t:.0f} ms" for name, t in imports) + ".",
            "",
        ]
    lines.append(f"(The run took {time.perf_counter() - started:.0f} s.)")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        record(text)


if __name__ == "__main__":
    main()
