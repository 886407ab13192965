"""The router's classifier beside a word + character n-gram TF-IDF linear SVM, both trained on the same data
in the same run: on generated case texts (9 topics, bench/data.py) and, when it is there, on the real
Vietnamese comments in ../shared/data (train.csv → test.csv, labels clean/offensive/hate). For the generated
cases it also scores the suggestion of the competent unit: the unit the shipped routing rules
(``cases.defaults.ROUTES`` through ``cases.routing.choose_rule``) give for the case's place and kind with the
predicted topic, against the unit they give with the true topic. And the keyword table (a fresh install).

Documents/s are measured on one core: every thread pool is limited to one thread and the time is the
process's CPU time, so other jobs on the machine do not change the figure much (wall-clock figures beside).

    .venv/bin/python bench/classify.py [--n 20000] [--skip-real]"""

from __future__ import annotations

import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"  # one core, set before numpy starts

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from collections.abc import Sequence  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))
import data  # noqa: E402

SHARED = HERE.parent.parent / "shared" / "data" / "vi-social-comments"
HEADER = f"  {'':10}{'accuracy':>10}{'macro-F1':>10}{'docs/s':>10}{'wall/s':>10}{'train s':>9}"


def report(title: str, result: dict[str, Any]) -> None:
    print(f"{title} · train {result['train_docs']:,} · test {result['test_docs']:,}")
    print(HEADER + "  (docs/s: CPU time of one thread; train s: CPU)")
    for name in ("model", "baseline"):
        r = result[name]
        print(
            f"  {name:10}{r['accuracy']:>10.4f}{r['macro_f1']:>10.4f}{r['docs_per_second']:>10,.0f}"
            f"{r['docs_per_second_wall']:>10,.0f}{r['train_seconds']:>9.1f}  {r['name']}"
        )
    delta = result["model"]["macro_f1"] - result["baseline"]["macro_f1"]
    print(f"  macro-F1 model − baseline: {delta:+.4f}")


def unit_agreement(cases: Sequence[dict[str, Any]], predicted: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Per kind and overall: (cases whose unit from the predicted topic is the unit from the true topic, cases)."""
    from pakn.cases.defaults import ROUTES
    from pakn.cases.routing import RouteRule, choose_rule, unit_code_for

    rules = [
        RouteRule(id=i, target=target, kind=kind, topic_code=topic)
        for i, (kind, topic, target, _note) in enumerate(ROUTES, start=1)
    ]

    def unit(case: dict[str, Any], topic: str) -> str | None:
        place = {"province_code": case["province_code"], "commune_code": case["commune_code"]}
        rule = choose_rule(rules, kind=case["kind"], topic_code=topic, **place)
        return unit_code_for(rule.target, **place) if rule else None

    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case, topic in zip(cases, predicted, strict=True):
        same = unit(case, topic) == unit(case, case["topic"])
        for key in (case["kind"], "all"):
            counts[key][0] += same
            counts[key][1] += 1
    return {key: (agree, total) for key, (agree, total) in counts.items()}


def report_units(cases: Sequence[dict[str, Any]], predictions: dict[str, Sequence[str]]) -> None:
    tables = {name: unit_agreement(cases, predicted) for name, predicted in predictions.items()}
    keys = ["all", *sorted(k for k in tables["model"] if k != "all")]
    print("  competent unit (shipped routing rules, true place and kind): predicted topic → same unit as true topic")
    print(f"  {'kind':14}{'cases':>7}" + "".join(f"{name:>11}" for name in tables))
    for key in keys:
        total = tables["model"][key][1]
        print(f"  {key:14}{total:>7,}" + "".join(f"{t[key][0] / total:>11.4f}" for t in tables.values()))
    sensitive = [i for i, case in enumerate(cases) if case["kind"] in ("report", "denunciation")]
    party = [i for i in sensitive if cases[i]["topic"] == "corruption_conduct"]
    print(
        f"  ({len(party):,} of the {len(cases):,} go to the party committee by the rules: "
        "report/denunciation on corruption_conduct; the topic decides the unit only for report and denunciation)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20_000, help="generated documents (80%% train, 20%% test)")
    parser.add_argument("--skip-real", action="store_true", help="only the generated cases")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pakn.settings")
    import tempfile

    os.environ.setdefault("PAKN_DATA_DIR", str(Path(tempfile.gettempdir()) / "pakn-bench"))
    import django

    django.setup()
    from pakn.language import classifier, keywords

    texts, labels = data.labelled(args.n, seed=7)
    cases = list(data.generate(args.n, seed=7))  # the same cases: their place and kind, for the routing rules
    assert [c["topic"] for c in cases] == labels
    cut = int(len(texts) * 0.8)
    result = classifier.evaluate(texts[:cut], labels[:cut], texts[cut:], labels[cut:], with_predictions=True)
    report("generated cases → topic", result)

    table = keywords.compile_table(keywords.TOPIC_KEYWORDS)
    started = time.process_time()
    by_keywords = [
        keywords.best(keywords.keyword_scores("", t, table), keywords.FALLBACK_TOPIC)[0] for t in texts[cut:]
    ]
    elapsed = max(time.process_time() - started, 1e-9)
    s = classifier.scores(labels[cut:], by_keywords)
    print(
        f"  {'keywords':10}{s['accuracy']:>10.4f}{s['macro_f1']:>10.4f}{len(by_keywords) / elapsed:>10,.0f}"
        f"{'':>10}{0:>9.1f}  keyword table (fresh install, no training)"
    )
    report_units(
        cases[cut:],
        {
            "model": result["model"]["predicted"],
            "baseline": result["baseline"]["predicted"],
            "keywords": by_keywords,
        },
    )

    if args.skip_real:
        return
    if SHARED.exists():
        train = classifier.load_labelled(SHARED / "train.csv")
        test = classifier.load_labelled(SHARED / "test.csv")
        report("shared vi-social-comments (real text) → clean/offensive/hate", classifier.evaluate(*train, *test))
    else:
        print(f"(real-text comparison skipped: {SHARED} not found)")


if __name__ == "__main__":
    main()
