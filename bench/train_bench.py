"""Training time and peak memory at 1k and 10k generated documents (fresh process each)."""

from __future__ import annotations

from common import OUT, generated_documents, run_measured, write_jsonl

SIZES = (1_000, 10_000)


def measure(n: int) -> dict[str, float]:
    data = write_jsonl(generated_documents(n), OUT / f"train-{n}.jsonl")
    code = (
        "from classifier.training import train\n"
        f"train([{str(data)!r}], {str(OUT / f'model-{n}')!r}, replace_base=True, force=True)"
    )
    seconds, peak_mib, _ = run_measured(code)
    return {"documents": n, "seconds": seconds, "peak_mib": peak_mib}


def main() -> None:
    for n in SIZES:
        r = measure(n)
        print(
            f"train on {n:>6} documents: {r['seconds']:6.1f} s, peak RSS {r['peak_mib']:6.0f} MiB"
        )


if __name__ == "__main__":
    main()
