"""``org.0004_inspection_commission`` on a database loaded before it: one commission under each party
committee, named as the loader names them; backwards, the commissions go again. Run in a fresh SQLite file
in a subprocess (migrating the shared test database backwards would disturb the other tests)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import django
django.setup()
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

before = [("org", "0003_apitoken_scope")]
after = [("org", "0004_inspection_commission")]
executor = MigrationExecutor(connection)
executor.migrate(before)
old = executor.loader.project_state(before).apps
Province, Commune, Unit = (old.get_model("org", n) for n in ("Province", "Commune", "Unit"))
Province.objects.create(code="01", name="Thành phố Hà Nội", short_name="Hà Nội")
Commune.objects.create(code="00004", province_id="01", name="Phường Ba Đình", short_name="Ba Đình", kind="Phường")
city = Unit.objects.create(code="DU-01", name="Thành ủy Hà Nội", kind="party_committee", level="province",
                           province_id="01")
Unit.objects.create(code="DU-00004", name="Đảng ủy Phường Ba Đình", kind="party_committee", level="commune",
                    province_id="01", commune_id="00004", parent=city)
Unit.objects.create(code="UBND-01", name="Ủy ban nhân dân Thành phố Hà Nội", kind="peoples_committee",
                    level="province", province_id="01")

executor = MigrationExecutor(connection)
executor.migrate(after)
new = executor.loader.project_state(after).apps.get_model("org", "Unit")
rows = {u.code: (u.name, u.kind, u.level, u.commune_id, u.parent.code)
        for u in new.objects.filter(code__startswith="UBKT-").select_related("parent")}
assert rows == {
    "UBKT-01": ("Ủy ban Kiểm tra Thành ủy Hà Nội", "inspection_commission", "province", None, "DU-01"),
    "UBKT-00004": ("Ủy ban Kiểm tra Đảng ủy Phường Ba Đình", "inspection_commission", "commune", "00004",
                   "DU-00004"),
}, rows

executor = MigrationExecutor(connection)
executor.migrate(before)
assert not Unit.objects.filter(code__startswith="UBKT-").exists()
assert Unit.objects.count() == 3

executor = MigrationExecutor(connection)
executor.migrate(after)
assert new.objects.filter(code__startswith="UBKT-").count() == 2
print("MIGRATED")
"""


def test_inspection_commissions_migrate_both_ways(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"PAKN_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "pakn.settings"})
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, cwd=ROOT, timeout=300
    )
    assert "MIGRATED" in result.stdout, result.stderr[-3000:]
