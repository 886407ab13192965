"""Form pieces about places, shared by the public forms (submission, drop box, staff intake)."""

from __future__ import annotations

from typing import Any

from pakn.core.errors import InvalidInput
from pakn.org.places import resolve_place


class PlaceCheckMixin:
    """Checks the place with the rest of the form (``org.places.resolve_place``, the rule the services apply),
    so every error is shown at once rather than the place only after the title and content are fixed."""

    PLACE_FIELDS = ("province_code", "commune_code", "address")

    def check_place(self, data: dict[str, Any]) -> None:
        form: Any = self
        if any(name in form.errors for name in self.PLACE_FIELDS):
            return
        try:
            resolve_place(
                province_code=data.get("province_code") or None,
                commune_code=data.get("commune_code") or None,
                address=data.get("address", ""),
            )
        except InvalidInput as error:
            for name, messages in error.fields.items():
                for message in messages if isinstance(messages, list | tuple) else [messages]:
                    form.add_error(name if name in form.fields else None, str(message))
