"""One write path: pages, API routes, the admin and commands change data only through services. This reads
the interface modules of the package and fails on an ORM write in them (``.objects.create``, ``.save()``,
``.delete()``, ``queryset.update()``…). Services, models, migrations and the worker's jobs may write."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "pakn"
INTERFACE_NAMES = {"views.py", "api.py", "admin.py", "urls.py", "staff_urls.py", "navigation.py", "accounts.py"}
CREATE = {"create", "bulk_create", "get_or_create", "update_or_create", "bulk_update"}
QUERYSET = {"filter", "exclude", "all", "select_related", "prefetch_related", "select_for_update", "order_by"}


def interface_modules() -> list[Path]:
    found = []
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        if "migrations" in parts:
            continue
        if path.name in INTERFACE_NAMES or "commands" in parts or "templatetags" in parts:
            found.append(path)
    return sorted(found)


def _chain(node: ast.AST) -> list[str]:
    names = []
    while isinstance(node, ast.Call | ast.Attribute):
        if isinstance(node, ast.Call):
            node = node.func
            continue
        names.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        names.append(node.id)
    return names


def writes_in(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method, receiver = node.func.attr, _chain(node.func.value)
        on_manager = "objects" in receiver
        if method in CREATE and on_manager:
            found.append((node.lineno, f"objects.{method}"))
        elif method in ("update", "delete") and (on_manager or set(receiver) & QUERYSET):
            found.append((node.lineno, f"queryset.{method}"))
        elif method in ("save", "delete") and not (receiver and receiver[-1] == "super"):
            found.append((node.lineno, method))
    return found


def test_the_checker_sees_the_writes() -> None:
    sample = """
Case.objects.create(title="x")
Case.objects.filter(pk=1).update(status="x")
case.save()
thing.delete()
data.update({"a": 1})
super().save_model(request, obj, form, change)
super().save()
"""
    assert [what for _, what in writes_in(sample)] == ["objects.create", "queryset.update", "save", "delete"]


def test_no_interface_module_writes_outside_the_services() -> None:
    problems = [
        f"{path.relative_to(PACKAGE)}:{line}: {what}"
        for path in interface_modules()
        for line, what in writes_in(path.read_text("utf-8"))
    ]
    assert not problems, "writes outside services (move them into a service function):\n" + "\n".join(problems)
