from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def return_path(request: HttpRequest) -> dict[str, Any]:
    """Where the language switch returns to: this page, or for a re-rendered POST the page the form
    was on (a POST-only address cannot be opened with a link)."""
    from urllib.parse import urlparse

    if request.method == "GET":
        return {"return_path": request.get_full_path()}
    referer = urlparse(request.headers.get("Referer", ""))
    same_host = referer.netloc == request.get_host()
    return {"return_path": (referer.path + (f"?{referer.query}" if referer.query else "")) if same_host else "/"}
