"""The evidence that goes with an answer (a photo after the repair, the decision's scan), for the person who holds
the tracking code and, when the officer allowed it and the case is published, for everyone. Only the clean copy
(metadata removed) is ever served, and only files attached to an answer: never the citizen's own evidence."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from pakn.cases import services
from pakn.cases.models import AnswerFile, Case, Kind
from pakn.core.errors import NotFound
from pakn.protection import throttle, vault
from pakn.protection.models import Attachment


def _response(case: Case, number: int) -> HttpResponse:
    stored = Attachment.objects.filter(case=case, number=number).exclude(clean_blob="").first()
    if stored is None:
        raise NotFound()
    response = HttpResponse(vault.read_clean(stored.clean_blob), content_type=stored.content_type)
    inline = stored.file_kind == "image"  # a photo opens in the browser; documents download
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{stored.name}"'
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def tracked_answer_file(request: HttpRequest, code: str, number: int) -> HttpResponse:
    """For whoever holds the tracking code (the status page links here)."""
    throttle.check(request, "citizen")
    case = services.get_case_by_code(code)
    if not AnswerFile.objects.filter(answer__case=case, number=number).exists():
        raise NotFound()
    return _response(case, number)


def published_answer_file(request: HttpRequest, case_id: int, number: int) -> HttpResponse:
    """For everyone: a file the officer allowed to publish, of a case published with its answer."""
    from pakn.public.presenters import published_cases

    case = published_cases().filter(pk=case_id).exclude(kind=Kind.DENUNCIATION).first()
    if case is None or not AnswerFile.objects.filter(answer__case=case, number=number, public=True).exists():
        raise NotFound()
    return _response(case, number)
