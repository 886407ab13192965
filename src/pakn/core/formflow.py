"""One way for a page to take a posted form to a service: bind, validate, act, and on a refusal show the form
again with the service's words on its fields and what the person typed still in them.

    form = DirectiveForm(request.POST or None)
    answer = submit(
        request, form, lambda d: services.record_directive(actor=request.user, **d),
        message=lambda directive: _("Đã ghi nhận văn bản %(n)s.") % {"n": directive.number},
        then=lambda directive: redirect("plans_directive", directive_id=directive.pk),
    )
    return answer or render(request, "plans/directive_form.html", {"form": form}, status=form_status(request))

``InvalidInput`` goes onto the form (field by field; ``errors`` maps names for forms with rows). What other
refusals (``Conflict``, ``Forbidden``, ``InvalidTransition`` …) do is the page's choice, ``refused``:
``"raise"`` lets the error page answer (the default), ``"form"`` shows the message above the form,
``"message"`` flashes it and answers ``back()`` (or shows the form again when there is no ``back``);
``refusals`` narrows that to some error types."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse

from pakn.core.errors import InvalidInput, PaknError
from pakn.core.forms import add_service_errors

T = TypeVar("T")


def submit(
    request: HttpRequest,
    form: forms.Form,
    act: Callable[[dict[str, Any]], T],
    *,
    then: Callable[[T], HttpResponse],
    message: str | Callable[[T], str] | None = None,
    errors: Callable[[InvalidInput], None] | None = None,
    refused: Literal["raise", "form", "message"] = "raise",
    refusals: tuple[type[PaknError], ...] = (PaknError,),
    back: Callable[[], HttpResponse] | None = None,
) -> HttpResponse | None:
    """Run ``act(form.cleaned_data)`` for a posted, valid ``form``; on success flash ``message`` (given the
    act's result when it is a function) and answer ``then(result)``. ``None`` means: render the page again with
    the bound form (``form_status`` gives the status). A request that is not a POST is never acted on.
    ``refusals`` narrows which errors ``refused`` handles (``(Forbidden,)``); any other one is raised."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = act(form.cleaned_data)
    except InvalidInput as error:
        if errors is not None:
            errors(error)
        else:
            add_service_errors(form, error)
        return None
    except PaknError as error:
        if refused == "raise" or not isinstance(error, refusals):
            raise
        if refused == "form":
            form.add_error(None, str(error.message))
            return None
        messages.error(request, str(error.message))
        return back() if back is not None else None
    if message is not None:
        messages.success(request, message(result) if callable(message) else message)
    return then(result)


def form_status(request: HttpRequest) -> int:
    """The status of a form page: 400 when a posted form comes back (it was refused), 200 on a first view."""
    return 400 if request.method == "POST" else 200
