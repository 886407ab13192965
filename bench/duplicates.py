"""Duplicate check latency at intake on the generated corpus, beside a baseline from the same run (the
clerk's manual way: a LIKE/ILIKE search for the title within the commune). Each probe is an existing
case written again in other words (bench/data.py ``reworded``); recall = the original was found.

    .venv/bin/python bench/duplicates.py [--n 20000] [--probes 300] [--database postgres://…]"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import data  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--probes", type=int, default=300)
    parser.add_argument("--database", default=None)
    parser.add_argument("--reuse", action="store_true", help="keep the corpus an earlier run left (same --n)")
    args = parser.parse_args()
    label = data.setup(args.database, n=args.n, name="search", reuse=args.reuse)

    from django.db.models import Q

    from pakn.cases.models import Case
    from pakn.cases.workflow import OPEN
    from pakn.language import duplicates

    rng = random.Random(3)
    open_ids = list(Case.objects.filter(status__in=[s.value for s in OPEN]).values_list("pk", flat=True)[:200_000])
    probes = [Case.objects.get(pk=pk) for pk in rng.sample(open_ids, min(args.probes, len(open_ids)))]
    print(f"duplicate check · {label} · {len(probes)} reworded probes")
    print(f"{'method':44}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'recall':>8}{'shown':>7}")

    def ours(case, probe):  # type: ignore[no-untyped-def]
        return [
            m.case_id
            for m in duplicates.find_similar(
                Case.objects.all(),
                title=probe["title"],
                content=probe["content"],
                province_code=case.province_id,
                commune_code=case.commune_id,
                threshold=duplicates.FLAG_THRESHOLD,
                exclude=[],
            )
        ]

    def baseline(case, probe):  # type: ignore[no-untyped-def]
        words = probe["title"].split()[:3]
        found = Case.objects.filter(commune_id=case.commune_id, status__in=[s.value for s in OPEN])
        found = found.filter(Q(title__icontains=" ".join(words)) | Q(content__icontains=" ".join(words)))
        return list(found.order_by("-pk").values_list("pk", flat=True)[:5])

    for name, fn in (
        ("similar open cases nearby (language.duplicates)", ours),
        ("baseline: LIKE/ILIKE on the title's words", baseline),
    ):
        samples, hits, shown = [], 0, 0
        for case in probes:
            probe = data.reworded({"title": case.title, "content": case.content}, rng)
            started = time.perf_counter()
            result = fn(case, probe)
            samples.append(time.perf_counter() - started)
            hits += case.pk in result
            shown += len(result)
        p = data.percentiles(samples)
        print(
            f"{name:44}{p['p50']:>9.1f}{p['p95']:>9.1f}{p['p99']:>9.1f}{hits / len(probes):>8.2f}"
            f"{shown / len(probes):>7.1f}"
        )


if __name__ == "__main__":
    main()
