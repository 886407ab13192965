"""The one path from a posted form to a service act: bind, validate, act, and put a refusal back on the form."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.test import RequestFactory

from pakn.core.errors import Forbidden, InvalidInput, InvalidTransition, NotFound
from pakn.core.formflow import form_status, submit
from pakn.core.forms import ServiceForm, row_field


class Tiny(ServiceForm):
    name = forms.CharField(max_length=20)
    count = forms.IntegerField(min_value=1)


class FakeAct:
    def __init__(self, error: Exception | None = None):
        self.error = error
        self.calls: list[dict[str, Any]] = []

    def __call__(self, data: dict[str, Any]) -> str:
        self.calls.append(dict(data))
        if self.error is not None:
            raise self.error
        return f"made-{data['name']}"


def request(method: str = "post", data: dict[str, Any] | None = None) -> HttpRequest:
    made = getattr(RequestFactory(), method)("/x", data or {})
    made.session = {}  # type: ignore[attr-defined]
    made._messages = FallbackStorage(made)  # type: ignore[attr-defined]
    return made


def done(result: str) -> HttpResponse:
    return HttpResponseRedirect(f"/done/{result}")


def flashed(req: HttpRequest) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(req)]


def test_a_valid_form_is_acted_on_once_and_answered_with_the_redirect() -> None:
    req, act = request(data={"name": "An", "count": "2"}), FakeAct()
    form = Tiny(req.POST)
    answer = submit(req, form, act, message=lambda made: f"Done: {made}", then=done)
    assert answer is not None and answer.status_code == 302 and answer["Location"] == "/done/made-An"
    assert act.calls == [{"name": "An", "count": 2}]
    assert flashed(req) == [("success", "Done: made-An")]


def test_a_first_view_and_an_invalid_form_are_never_acted_on() -> None:
    act = FakeAct()
    get = request("get")
    assert submit(get, Tiny(None), act, then=done) is None and form_status(get) == 200
    post = request(data={"name": "An", "count": "0"})
    form = Tiny(post.POST)
    assert submit(post, form, act, then=done) is None and form_status(post) == 400
    assert act.calls == [] and "count" in form.errors


def test_field_errors_go_on_their_fields_and_what_was_typed_is_kept() -> None:
    error = InvalidInput(fields={"name": ["Tên đã có."], "elsewhere": ["Sai chỗ khác."]})
    req = request(data={"name": "An", "count": "3"})
    form = Tiny(req.POST)
    assert submit(req, form, FakeAct(error), message="never", then=done) is None
    assert form.errors["name"] == ["Tên đã có."]
    assert form.non_field_errors() == ["Sai chỗ khác."]
    assert 'value="An"' in str(form["name"]) and 'value="3"' in str(form["count"])
    assert flashed(req) == []


def test_an_invalid_input_without_fields_is_shown_above_the_form() -> None:
    req = request(data={"name": "An", "count": "3"})
    form = Tiny(req.POST)
    assert submit(req, form, FakeAct(InvalidInput("Không hợp lệ.")), then=done) is None
    assert form.non_field_errors() == ["Không hợp lệ."]


def test_a_page_may_map_field_names_itself() -> None:
    req = request(data={"name": "An", "count": "3"})
    form = Tiny(req.POST)
    seen: list[InvalidInput] = []
    submit(req, form, FakeAct(InvalidInput(fields={"x": ["y"]})), errors=seen.append, then=done)
    assert len(seen) == 1 and not form.errors


def test_other_refusals_raise_by_default() -> None:
    req = request(data={"name": "An", "count": "3"})
    with pytest.raises(InvalidTransition):
        submit(req, Tiny(req.POST), FakeAct(InvalidTransition()), then=done)


def test_other_refusals_as_a_non_field_error() -> None:
    req = request(data={"name": "An", "count": "3"})
    form = Tiny(req.POST)
    assert submit(req, form, FakeAct(InvalidTransition("Đã xong.")), then=done, refused="form") is None
    assert form.non_field_errors() == ["Đã xong."] and form.errors.keys() == {"__all__"}


def test_refusals_narrow_which_errors_go_on_the_form() -> None:
    req = request(data={"name": "An", "count": "3"})
    form = Tiny(req.POST)
    assert (
        submit(req, form, FakeAct(Forbidden("Không được.")), then=done, refused="form", refusals=(Forbidden,)) is None
    )
    assert form.non_field_errors() == ["Không được."]
    with pytest.raises(NotFound):
        submit(req, Tiny(req.POST), FakeAct(NotFound()), then=done, refused="form", refusals=(Forbidden,))


def test_other_refusals_as_a_message_and_back() -> None:
    req = request(data={"name": "An", "count": "3"})
    answer = submit(
        req,
        Tiny(req.POST),
        FakeAct(InvalidTransition("Đã xong.")),
        then=done,
        refused="message",
        back=lambda: HttpResponseRedirect("/back"),
    )
    assert answer is not None and answer["Location"] == "/back"
    assert flashed(req) == [("error", "Đã xong.")]
    # Without ``back`` the form is shown again, the message above it.
    again = request(data={"name": "An", "count": "3"})
    assert submit(again, Tiny(again.POST), FakeAct(InvalidTransition("x")), then=done, refused="message") is None
    assert flashed(again) == [("error", "x")]


def test_a_row_error_lands_on_the_row_it_came_from() -> None:
    assert row_field("tasks.1.title", items="tasks", prefix="t", indexes=[0, 2]) == "t2_title"
    assert row_field("tasks.5.title", items="tasks", prefix="t", indexes=[0, 2]) == "tasks.5.title"
    assert row_field("number", items="tasks", prefix="t", indexes=[0]) == "number"
