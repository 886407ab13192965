"""The ``pakn`` command: Django's management commands plus the project's own (``pakn serve``,
``pakn demo``, ``pakn worker``, ``pakn audit verify``…)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pakn.settings")
    from importlib import import_module

    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:  # a refused setting (e.g. the production secret key) stops here with its message, not a traceback
        import_module(os.environ["DJANGO_SETTINGS_MODULE"])
    except ImproperlyConfigured as error:
        sys.exit(f"pakn: {error}")

    args = list(sys.argv if argv is None else ["pakn", *argv])
    args[0] = "pakn"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
