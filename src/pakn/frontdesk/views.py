"""The Front committee's pages: its forwarded batches, recording a batch, and a batch with where each
opinion stands and the answer, to report back to the people. Only the committee's supervisors open them;
anyone else gets "not found". Views only shape input and call ``frontdesk.services``."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pakn.core.errors import NotFound
from pakn.core.formflow import form_status, submit
from pakn.frontdesk import services
from pakn.frontdesk.forms import BatchForm, row_count


def front_required(view: Any) -> Any:
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not services.is_front_member(request.user):
            raise NotFound()
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    return wrapper


@front_required
def home(request: HttpRequest) -> HttpResponse:
    page = Paginator(services.batches_for(request.user), 30).get_page(request.GET.get("page"))
    rows = [{"batch": b, "count": b.opinions.count()} for b in page]
    return render(request, "frontdesk/home.html", {"page": page, "rows": rows})


@front_required
@require_http_methods(["GET", "POST"])
def batch_new(request: HttpRequest) -> HttpResponse:
    units = services.front_units(request.user)
    rows = row_count(request.POST.get("rows") if request.method == "POST" else request.GET.get("rows"))
    form = BatchForm(request.POST or None, units=units, rows=rows)

    def record(data: dict[str, Any]) -> Any:
        opinions, _rows = form.opinions()
        front_unit = units.filter(pk=data["front_unit"]).first()
        if front_unit is None:
            raise NotFound()
        return services.record_batch(
            actor=request.user,
            front_unit=front_unit,
            source=data["source"],
            meeting=data["meeting"],
            held_on=data["held_on"],
            place=data["place"],
            document_number=data["document_number"],
            forwarded_on=data.get("forwarded_on"),
            opinions=opinions,
        )

    answer = submit(
        request,
        form,
        record,
        errors=lambda error: form.add_batch_errors(error, form.opinions()[1]),  # the rows the opinions came from
        message=lambda batch: (
            _("Đã ghi nhận %(n)s ý kiến và chuyển đến cơ quan có thẩm quyền.") % {"n": batch.opinions.count()}
        ),
        then=lambda batch: redirect("frontdesk_batch", batch_id=batch.pk),
    )
    more = min(rows + 5, 30)
    return answer or render(
        request, "frontdesk/batch_form.html", {"form": form, "more": more}, status=form_status(request)
    )


@front_required
def batch_detail(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = services.access_batch(request.user, batch_id)
    rows = services.opinion_rows(batch)
    answered = sum(1 for r in rows if r["answered"])
    return render(request, "frontdesk/batch_detail.html", {"batch": batch, "rows": rows, "answered": answered})
