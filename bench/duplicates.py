"""Duplicate check at intake on the generated corpus (cases spread over the 3,321 communes by population,
bench/data.py), beside a baseline from the same run (the clerk's manual way: a LIKE/ILIKE search for the
title's first words among the commune's open cases).

Two kinds of probe, checked as ``language.services.flag_duplicates`` does at intake (``find_similar`` on the
case's commune and its neighbours, ``FLAG_THRESHOLD``, at most 5 flags):

* **duplicate probes**: an existing open case written again in other words (``data.reworded``: words
  swapped, a sentence dropped, restyled, the same address). Its one true duplicate is the original.
  **recall** = share of duplicate probes whose original is flagged; **precision** = share of the flags
  raised for duplicate probes that are the original (flags / probe in ``flags``);
* **new probes**: a freshly generated case (another seed) filed in the commune of an open case: nothing
  is its duplicate, yet other complaints of the same kind nearby may look alike. **false alarms** = share
  of new probes with at least one flag.

Latency percentiles are over every check (both kinds).

    .venv/bin/python bench/duplicates.py [--n 20000] [--probes 300] [--database postgres://…] [--reuse]"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import data  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--probes", type=int, default=300, help="duplicate probes, and as many new probes")
    parser.add_argument("--database", default=None)
    parser.add_argument("--reuse", action="store_true", help="keep the corpus an earlier run left (same --n)")
    args = parser.parse_args()
    label = data.setup(args.database, n=args.n, name="search", reuse=args.reuse)

    from django.db.models import Q

    from pakn.cases.models import Case
    from pakn.cases.workflow import OPEN
    from pakn.language import duplicates

    open_statuses = [s.value for s in OPEN]
    rng = random.Random(3)
    open_ids = list(Case.objects.filter(status__in=open_statuses).values_list("pk", flat=True))
    cases = list(Case.objects.filter(pk__in=rng.sample(open_ids, min(args.probes, len(open_ids)))).order_by("pk"))
    # Probe: (where it is filed, its text, the id of its true duplicate or None).
    probes: list[tuple[Case, dict[str, Any], int | None]] = [
        (case, data.reworded({"title": case.title, "content": case.content, "address": case.address}, rng), case.pk)
        for case in cases
    ]
    fresh = data.generate(len(cases), seed=2_000_003)
    probes += [(rng.choice(cases), text, None) for text in fresh]
    rng.shuffle(probes)
    print(f"duplicate check · {label} · {len(cases)} duplicate probes + {len(cases)} new probes", flush=True)
    print(f"# uptime: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f} (load average)")
    print(
        f"{'method':48}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'recall':>8}{'precision':>10}{'flags':>7}"
        f"{'false alarms':>14}"
    )

    def ours(case: Case, probe: dict[str, Any]) -> list[int]:  # as language.services.flag_duplicates
        return [
            m.case_id
            for m in duplicates.find_similar(
                Case.objects.all(),
                title=probe["title"],
                content=probe["content"],
                address=probe.get("address", ""),
                province_code=case.province_id,
                commune_code=case.commune_id,
                threshold=duplicates.FLAG_THRESHOLD,
                limit=5,
            )
        ]

    def baseline(case: Case, probe: dict[str, Any]) -> list[int]:
        words = " ".join(probe["title"].split()[:3])
        found = Case.objects.filter(commune_id=case.commune_id, status__in=open_statuses)
        found = found.filter(Q(title__icontains=words) | Q(content__icontains=words))
        return list(found.order_by("-pk").values_list("pk", flat=True)[:5])

    methods: list[tuple[str, Callable[[Case, dict[str, Any]], list[int]]]] = [
        ("similar open cases nearby (language.duplicates)", ours),
        ("baseline: LIKE/ILIKE on the title's first words", baseline),
    ]
    for name, fn in methods:
        fn(*probes[0][:2])  # warm
        samples: list[float] = []
        found = flags = alarms = 0
        for case, probe, original in probes:
            started = time.perf_counter()
            result = fn(case, probe)
            samples.append(time.perf_counter() - started)
            if original is None:
                alarms += bool(result)
            else:
                found += original in result
                flags += len(result)
        p = data.percentiles(samples)
        print(
            f"{name:48}{p['p50']:>9.1f}{p['p95']:>9.1f}{p['p99']:>9.1f}{found / len(cases):>8.2f}"
            f"{found / max(1, flags):>10.2f}{flags / len(cases):>7.1f}{alarms / len(cases):>14.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
