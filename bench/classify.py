"""Classification throughput and quality: the router's model beside the TF-IDF + logistic-regression
baseline, trained and tested in the same run — on generated case texts (topics, bench/data.py) and, when
it is there, on the real Vietnamese comments in ../shared/data (labels clean/offensive/hate). Also the
keyword table's throughput (what a fresh install uses).

    .venv/bin/python bench/classify.py [--n 20000]"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
import data  # noqa: E402

SHARED = HERE.parent.parent / "shared" / "data" / "vi-social-comments"


def report(title: str, result: dict) -> None:  # type: ignore[type-arg]
    print(f"{title} · train {result['train_docs']:,} · test {result['test_docs']:,}")
    print(f"  {'':10}{'accuracy':>10}{'macro-F1':>10}{'docs/s':>10}{'train s':>9}")
    for name in ("model", "baseline"):
        r = result[name]
        print(
            f"  {name:10}{r['accuracy']:>10.4f}{r['macro_f1']:>10.4f}"
            f"{r['docs_per_second']:>10,.0f}{r['train_seconds']:>9.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20_000, help="generated documents (80% train, 20% test)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pakn.settings")
    import tempfile

    os.environ.setdefault("PAKN_DATA_DIR", str(Path(tempfile.gettempdir()) / "pakn-bench"))
    import django

    django.setup()
    from pakn.language import classifier, keywords

    texts, labels = data.labelled(args.n, seed=7)
    cut = int(len(texts) * 0.8)
    report("generated cases → topic", classifier.evaluate(texts[:cut], labels[:cut], texts[cut:], labels[cut:]))

    table = keywords.compile_table(keywords.TOPIC_KEYWORDS)
    started = time.perf_counter()
    predicted = [keywords.best(keywords.keyword_scores("", t, table), keywords.FALLBACK_TOPIC)[0] for t in texts[cut:]]
    elapsed = time.perf_counter() - started
    s = classifier.scores(labels[cut:], predicted)
    print(
        f"  {'keywords':10}{s['accuracy']:>10.4f}{s['macro_f1']:>10.4f}{len(predicted) / elapsed:>10,.0f}{0:>9.1f}"
        "  (fresh install, no training)"
    )

    if SHARED.exists():
        train = classifier.load_labelled(SHARED / "train.csv")
        test = classifier.load_labelled(SHARED / "test.csv")
        report("shared vi-social-comments (real text) → clean/offensive/hate", classifier.evaluate(*train, *test))
    else:
        print(f"(real-text comparison skipped: {SHARED} not found)")


if __name__ == "__main__":
    main()
