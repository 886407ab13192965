"""The reception and plans reports are written by the one document writer of PAKN (``core.documents``: PDF laid
out per Decree 30/2020/NĐ-CP, and Excel). This module only says who issues a report: the unit it is issued by,
its governing body, its province as the place name, and who signs for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pakn.core import documents
from pakn.core.documents import Document, Issuer, Signer, Table, pdf_response, xlsx_response
from pakn.core.people import person_name

FONT_DIR = Path(documents.FONT_DIRS[0])

__all__ = ["Document", "Issuer", "Signer", "Table", "issuer_and_signer", "pdf_response", "xlsx_response"]


def issuer_and_signer(unit: Any) -> tuple[Issuer, Signer]:
    """The issuer block and the signature block of a report issued by ``unit`` (an ``org.Unit``): signed by the
    unit's head when the unit has exactly one, else with the name left for the signer to write."""
    from pakn.org.models import Membership, Role

    heads = list(Membership.objects.filter(unit=unit, role=Role.HEAD).select_related("user")[:2])
    named = len(heads) == 1 and bool(heads[0].user.last_name or heads[0].user.first_name)
    return documents.parties_of(unit, signer_name=person_name(heads[0].user) if named else "")
