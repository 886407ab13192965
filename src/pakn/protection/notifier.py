"""The reporter's notification contact, sealed to the notifier key.

At submission only the public half of the notifier key is needed; the private half (the key file,
``PAKN_NOTIFY_KEY_FILE``) is used by the worker at send time. A copy of the database and the settings
holds only sealed boxes. Both refuse with ``KeysUnavailable`` (503) while the notifier key file is missing
or not the one the database was used with: the caller keeps its notification queued.
"""

from __future__ import annotations

import json

from django.views.decorators.debug import sensitive_variables

from pakn.protection import crypto, keys
from pakn.protection.keys import KeysUnavailable

__all__ = ["KeysUnavailable", "open_contact", "seal_contact"]


@sensitive_variables()
def seal_contact(channel: str, address: str) -> str:
    payload = json.dumps({"c": channel, "to": address}).encode()
    return crypto.b64e(crypto.seal(keys.notify_public_key(), payload))


@sensitive_variables()
def open_contact(sealed: str) -> str:
    return str(json.loads(crypto.unseal(keys.notify_private_key(), crypto.b64d(sealed)))["to"])
