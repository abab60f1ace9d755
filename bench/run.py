"""Every benchmark in one run: ratios against baselines measured in the same run.

python bench/run.py  ->  prints a table and writes bench/results.md
(the machines are shared and noisy, so claims are ratios, not absolute times).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import batch_bench
import engines
import explain_bench
import startup
import train_bench
from common import machine, record


def main() -> None:
    start = time.perf_counter()
    rows: list[tuple[str, str, str, str]] = []  # (what, measured, ratio, target)

    s = startup.measure()
    rows.append(("classify --json, 2-page PDF, fresh process (vs bare pdfplumber)",
                 f"{s['classify_s'] * 1000:.0f} ms vs {s['bare_s'] * 1000:.0f} ms",
                 f"{s['ratio']:.2f}x (best-of-runs {s['best_ratio']:.2f}x)", "<= 1.5x"))  # fmt: skip
    p = startup.measure(engine="pdfium")
    rows.append(("classify --engine pdfium (vs bare pdfplumber)",
                 f"{p['classify_s'] * 1000:.0f} ms vs {p['bare_s'] * 1000:.0f} ms",
                 f"{p['ratio']:.2f}x (best-of-runs {p['best_ratio']:.2f}x)", "<= 0.8x"))  # fmt: skip

    b = batch_bench.throughput()
    naive = b["naive_s"]
    for engine in ("pdfium", "pdfplumber"):
        one, two = b[f"{engine}_jobs1_s"], b[f"{engine}_jobs2_s"]
        default = " (batch default)" if engine == "pdfium" else ""
        rows.append((f"batch --jobs 2 --engine {engine}{default}, {b['files']} resumes (vs naive loop)",
                     f"{two:.1f} s vs {naive:.1f} s", f"{naive / two:.2f}x", ">= 1.7x"))  # fmt: skip
        rows.append((f"batch --engine {engine}: --jobs 2 vs --jobs 1", f"{two:.1f} s vs {one:.1f} s",
                     f"{one / two:.2f}x", "(2 cores)"))  # fmt: skip
    m = batch_bench.memory()
    rows.append((f"batch --jobs 2 over {m['files']} files: peak RSS of the process tree",
                 f"{m['peak_tree_mib']:.0f} MiB in {m['seconds']:.0f} s", "", "flat"))  # fmt: skip

    e = explain_bench.measure()
    ours = e["ours_s"] or 0.0
    for name in ("eli5", "lime"):
        t = e[f"{name}_s"]
        rows.append((f"explanation per document: ours vs {name}",
                     "not installed" if t is None else f"{ours * 1000:.1f} ms vs {t * 1000:.0f} ms",
                     "" if t is None else f"{t / ours:.1f}x faster", ""))  # fmt: skip

    for n in train_bench.SIZES:
        t = train_bench.measure(n)
        rows.append((f"train on {n:,} documents (5-fold CV + fit + export)",
                     f"{t['seconds']:.1f} s, peak {t['peak_mib']:.0f} MiB", "",
                     "< 60 s, < 1 GiB" if n == 10_000 else ""))  # fmt: skip

    plumber = engines.pages_per_second(engines.FIXTURES, "pdfplumber")
    pdfium = engines.pages_per_second(engines.FIXTURES, "pdfium")
    rows.append(("pages/s on the fixture resumes: pdfium vs pdfplumber",
                 f"{pdfium:.0f} vs {plumber:.1f}", f"{pdfium / plumber:.0f}x", ""))  # fmt: skip
    for name, paths in (
        ("fixtures", engines.FIXTURES),
        ("dev postings as PDF", engines.dev_pdfs()),
    ):
        a = engines.agreement(paths)
        rows.append((f"pdfium vs pdfplumber agreement, {name} (n={a['n']})",
                     f"features identical {a['same_features']:.0%}, labels {a['same_label']:.0%}, "
                     f"max dP {a['max_p_diff']:.4f}", "", ">= 99%, <= 0.02"))  # fmt: skip

    elapsed = time.perf_counter() - start
    table = ["| what | measured | ratio | target |", "|---|---|---|---|"]
    table += [f"| {w} | {m_} | {r} | {t} |" for w, m_, r, t in rows]
    header = (
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}; "
        f"`python bench/run.py` took {elapsed:.0f} s."
    )
    text = "# Benchmark results\n\n" + header + "\n\n" + "\n".join(table) + "\n"
    record(text, head=True)
    print(text)


if __name__ == "__main__":
    main()
