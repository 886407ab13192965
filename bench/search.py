"""Search latency: the staff search page's first page beside a plain LIKE/ILIKE scan, same run, same queries,
on the generated corpus (bench/data.py).

    .venv/bin/python bench/search.py                       # 20,000 cases, SQLite file in /tmp/pakn-bench
    .venv/bin/python bench/search.py --n 1000000 --reuse
    .venv/bin/python bench/search.py --n 1000000 --database postgres://postgres@127.0.0.1:5432/bench_search

Each operation is what the staff page does (``language.views.search_page``): ``search.find`` with the viewer's
``index_scope`` (the newest ``RANK_WINDOW`` matches, ranked; the best partial matches when no case has every
word), its first page of 50 and the count the page shows (at most the window: "at least N"), as an
administrator (all cases), as a provincial supervisor (every case of one province) and as one commune's clerk
(``visible_cases``). The baseline is a plain LIKE/ILIKE scan of the same queryset: its first page (newest
first) and its full count. Each line is printed beside the ceilings of issue #15 (p95 ≤ 50 ms, p99 ≤ 100 ms,
≥ 20× the baseline at p50 and p95) and the machine's load average (``uptime``: the machine is shared)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import data  # noqa: E402

P95_CEILING, P99_CEILING, SPEEDUP_FLOOR = 50.0, 100.0, 20.0


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--database", default=None)
    parser.add_argument("--reuse", action="store_true", help="keep the corpus an earlier run left (same --n)")
    parser.add_argument("--repeat", type=int, default=4, help="runs of each query (default 4)")
    parser.add_argument("--baseline-repeat", type=int, default=None, help="runs of each baseline query")
    parser.add_argument("--only", nargs="*", default=None, help="scopes to run: admin supervisor clerk")
    parser.add_argument("--window", type=int, default=None, help="rank window (default search.RANK_WINDOW)")
    args = parser.parse_args()
    label = data.setup(args.database, n=args.n, name="search", reuse=args.reuse)
    if args.repeat <= 0:  # --repeat 0: only load the corpus
        print(f"loaded: {label}")
        return

    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q

    from pakn.cases.models import Case
    from pakn.language import search
    from pakn.language.search import find, index_scope

    if args.window:
        search.RANK_WINDOW = args.window
    from pakn.org.access import visible_cases
    from pakn.org.models import Membership, Role, Unit

    def member(username: str, unit: Unit, role: str) -> object:
        user, _ = get_user_model().objects.get_or_create(username=username)
        Membership.objects.get_or_create(user=user, unit=unit, role=role)
        return user

    busiest = Case.objects.values("unit_id").annotate(n=Count("pk")).order_by("-n").first()
    clerk = member("bench-clerk", Unit.objects.get(pk=busiest["unit_id"]), Role.CLERK)
    province = Case.objects.values("province_id").annotate(n=Count("pk")).order_by("-n").first()
    board = Unit.objects.filter(province_id=province["province_id"], commune__isnull=True).order_by("pk").first()
    supervisor = member("bench-supervisor", board, Role.SUPERVISOR)
    admin, _ = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    scopes = {
        "admin": (f"all cases ({args.n:,})", admin),
        "supervisor": (f"one province ({province['n']:,})", supervisor),
        "clerk": (f"one clerk ({busiest['n']:,})", clerk),
    }

    def ranked(user, q):  # type: ignore[no-untyped-def]
        found = find(visible_cases(user), q, scope=index_scope(user))
        return list(found.cases[:50]), found.count if found.count is not None else found.cases.count()

    def like(user, q):  # type: ignore[no-untyped-def]
        found = visible_cases(user).filter(Q(title__icontains=q) | Q(content__icontains=q))
        return list(found.order_by("-received_on", "-pk")[:50]), found.count()

    print(f"search latency · {label} · {len(data.QUERIES)} queries × {args.repeat} · window {search.RANK_WINDOW:,}")
    print(
        f"{'scope':26}{'method':28}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'matches':>9}"
        f"{'×p50':>7}{'×p95':>7}  ceilings (p95≤50, p99≤100, ≥20×)  load avg"
    )
    for key, (scope, user) in scopes.items():
        if args.only and key not in args.only:
            continue
        figures = {}
        methods = [("ranked, folded (index)", ranked, args.repeat)]
        if args.baseline_repeat != 0:  # --baseline-repeat 0: ours only (exploring; no ratio)
            methods.append(("baseline LIKE/ILIKE scan", like, args.baseline_repeat or args.repeat))
        for name, fn, repeat in methods:
            samples, matches = [], 0
            fn(user, data.QUERIES[0])  # warm
            for _ in range(repeat):
                for q in data.QUERIES:
                    started = time.perf_counter()
                    _page, total = fn(user, q)
                    samples.append(time.perf_counter() - started)
                    matches += total
            figures[name] = (data.percentiles(samples), matches / len(samples), load())
        ours = figures["ranked, folded (index)"][0]
        base = figures.get("baseline LIKE/ILIKE scan", ({"p50": float("nan"), "p95": float("nan")},))[0]
        x50, x95 = base["p50"] / ours["p50"], base["p95"] / ours["p95"]
        verdict = " ".join(
            [
                "p95 ok" if ours["p95"] <= P95_CEILING else "p95 OVER",
                "p99 ok" if ours["p99"] <= P99_CEILING else "p99 OVER",
                "≥20× ok" if min(x50, x95) >= SPEEDUP_FLOOR else "<20×",
            ]
        )
        for name, (p, avg, at) in figures.items():
            ratio = f"{x50:>7.1f}{x95:>7.1f}  {verdict:34}" if name.startswith("ranked") else f"{'':14}  {'':34}"
            print(f"{scope:26}{name:28}{p['p50']:>9.1f}{p['p95']:>9.1f}{p['p99']:>9.1f}{avg:>9,.0f}{ratio}{at}")


if __name__ == "__main__":
    main()
