"""Search latency: the ranked, diacritic-insensitive search beside a plain LIKE/ILIKE scan, same run, same
queries, on the generated corpus (bench/data.py).

    .venv/bin/python bench/search.py                       # 20,000 cases, SQLite file in /tmp/pakn-bench
    .venv/bin/python bench/search.py --n 1000000
    .venv/bin/python bench/search.py --n 1000000 --database postgres://postgres@127.0.0.1:5432/bench_lang

Each operation is what the staff page does: ``language.search.find`` (the newest ``RANK_WINDOW`` matches, ranked;
the best partial matches when no case has every word), its first page of 50 and the count the page shows (at
most the window: "more than 2,000"), as an administrator (all cases) and as one commune's clerk
(``visible_cases``). The baseline is a plain LIKE/ILIKE scan, its first page and its full count."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import data  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--database", default=None)
    parser.add_argument("--reuse", action="store_true", help="keep the corpus an earlier run left (same --n)")
    parser.add_argument("--repeat", type=int, default=4, help="runs of each query (default 4)")
    args = parser.parse_args()
    label = data.setup(args.database, n=args.n, name="search", reuse=args.reuse)
    if args.repeat <= 0:  # --repeat 0: only load the corpus
        print(f"loaded: {label}")
        return

    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q

    from pakn.cases.models import Case
    from pakn.language.search import find
    from pakn.org.access import visible_cases
    from pakn.org.models import Membership, Unit

    busiest = Case.objects.values("unit_id").annotate(n=Count("pk")).order_by("-n").first()
    user, _ = get_user_model().objects.get_or_create(username="bench-clerk")
    Membership.objects.get_or_create(user=user, unit=Unit.objects.get(pk=busiest["unit_id"]), role="clerk")
    scopes = {"all cases": Case.objects.all(), f"one clerk ({busiest['n']:,} cases)": visible_cases(user)}

    def ranked(queryset, q):  # type: ignore[no-untyped-def]
        found = find(queryset, q)
        return list(found.cases[:50]), found.cases.count()

    def like(queryset, q):  # type: ignore[no-untyped-def]
        found = queryset.filter(Q(title__icontains=q) | Q(content__icontains=q)).order_by("-received_on", "-pk")
        return list(found[:50]), found.count()

    print(f"search latency · {label} · {len(data.QUERIES)} queries × {args.repeat}")
    print(
        f"{'scope':28}{'method':34}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'matches/query':>15}"
        "  (ranked: at most the window)"
    )
    for scope, queryset in scopes.items():
        for name, fn in (("ranked, folded (FTS)", ranked), ("baseline LIKE/ILIKE scan", like)):
            samples, matches = [], 0
            fn(queryset, data.QUERIES[0])  # warm
            for _ in range(args.repeat):
                for q in data.QUERIES:
                    started = time.perf_counter()
                    _page, total = fn(queryset, q)
                    samples.append(time.perf_counter() - started)
                    matches += total
            p = data.percentiles(samples)
            avg = matches / len(samples)
            print(f"{scope:28}{name:34}{p['p50']:>9.1f}{p['p95']:>9.1f}{p['p99']:>9.1f}{avg:>15,.0f}")


if __name__ == "__main__":
    main()
