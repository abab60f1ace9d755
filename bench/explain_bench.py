"""Explanation cost per document: ours (exact, plain data) vs eli5 and LIME on the same model.

eli5 and LIME are installed only for this benchmark (pip install eli5 lime),
never as dependencies; rows for a missing one say so.
"""

from __future__ import annotations

import statistics
import time
import warnings

from common import ROOT

from classifier.explain.contributions import explain
from classifier.model.store import load_model, load_pipeline
from classifier.read.dispatch import extract

SAMPLES = [ROOT / "examples" / "engineer_resume.pdf", ROOT / "examples" / "scientist_resume.pdf"]


def _per_doc(fn, docs, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        for doc in docs:
            start = time.perf_counter()
            fn(doc)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure() -> dict[str, float | None]:
    warnings.simplefilter("ignore")
    model = load_model()
    pipe = load_pipeline(ROOT / "models" / "default")
    docs = [extract(p) for p in SAMPLES]
    result: dict[str, float | None] = {"ours_s": _per_doc(lambda d: explain(d, model), docs, 50)}
    try:
        import eli5

        tfidf, logreg = pipe.named_steps["tfidf"], pipe.named_steps["logreg"]
        result["eli5_s"] = _per_doc(
            lambda d: eli5.explain_prediction(logreg, d.text, vec=tfidf), docs, 5
        )
    except ImportError:
        result["eli5_s"] = None
    try:
        from lime.lime_text import LimeTextExplainer

        lime = LimeTextExplainer(class_names=["engineer", "scientist"], random_state=0)
        result["lime_s"] = _per_doc(
            lambda d: lime.explain_instance(d.text, pipe.predict_proba, num_features=10), docs, 1
        )
    except ImportError:
        result["lime_s"] = None
    return result


def main() -> None:
    r = measure()
    ours = r["ours_s"] or 0.0
    print(f"ours {ours * 1000:.1f} ms per document")
    for name in ("eli5", "lime"):
        t = r[f"{name}_s"]
        print(
            f"{name}: " + ("not installed" if t is None else f"{t * 1000:.0f} ms ({t / ours:.0f}x)")
        )


if __name__ == "__main__":
    main()
