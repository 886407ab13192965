"""Logs and error reports that never hold a client address, a user agent or a recipient.

- ``ClientAddressFilter`` (on every handler in ``settings.LOGGING``): drops the request and socket objects
  Django attaches to records (runserver and ``django.request`` pass them as ``extra``), and replaces
  anything that looks like an IPv4/IPv6 address in the message and the traceback with ``[ip]``
  (runserver logs "Broken pipe from ('203.0.113.5', 51234)").
- ``PaknExceptionReporterFilter``: debug pages and error e-mails show no client address, user agent,
  forwarded-for, cookies, or identity form fields.
- ``MaskingConsoleEmailBackend``: the development e-mail backend prints messages with the recipients
  masked (``a…@e…``); the reporter's address never reaches the console log.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?:%\w+)?(?![\w:])")
MASK = "[ip]"


def scrub(text: str) -> str:
    text = _IPV4.sub(MASK, text)
    # IPv6: "::" somewhere, or the full eight groups; "12:34:56" (a time) is left alone.
    return _IPV6.sub(lambda m: MASK if "::" in m.group(0) or m.group(0).count(":") >= 5 else m.group(0), text)


class ClientAddressFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        for attribute in ("request", "client_address", "remote_addr"):
            if hasattr(record, attribute):
                setattr(record, attribute, None)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep the record as it is, scrubbed below
            message = str(record.msg)
        record.msg, record.args = scrub(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


class PaknExceptionReporterFilter(SafeExceptionReporterFilter):
    HIDDEN_META = (
        "REMOTE_ADDR",
        "REMOTE_HOST",
        "HTTP_USER_AGENT",
        "HTTP_X_FORWARDED_FOR",
        "HTTP_X_REAL_IP",
        "HTTP_FORWARDED",
        "HTTP_COOKIE",
        "HTTP_REFERER",
        "HTTP_CF_CONNECTING_IP",
        "QUERY_STRING",  # what a citizen typed into a search or the similar-cases box
    )

    def get_safe_request_meta(self, request: Any) -> dict[str, Any]:
        meta = super().get_safe_request_meta(request)
        for key in self.HIDDEN_META:
            if key in meta:
                meta[key] = self.cleansed_substitute
        return meta

    # Any submitted value and any local variable may hold a reporter's details (a name typed into a
    # summary, a phone in a form's cleaned data), and a view need not remember to mark them sensitive:
    # outside DEBUG, error reports keep the parameter and variable names and the traceback, never values.
    def get_post_parameters(self, request: Any) -> Any:
        if request is None or not self.is_active(request):
            return super().get_post_parameters(request)
        cleansed = request.POST.copy()
        for key in cleansed:
            cleansed[key] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request: Any, tb_frame: Any) -> Any:
        if not self.is_active(request):
            return super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute) for name in tb_frame.f_locals]


class PaknExceptionReporter(ExceptionReporter):
    """Outside DEBUG, the report also drops the query string from the URL and the values of GET parameters
    and the names of uploaded files (``don-cua-Nguyen-Van-An.pdf``), which the filter cannot reach."""

    def get_traceback_data(self) -> dict[str, Any]:
        data = super().get_traceback_data()
        if self.request is None or not self.filter.is_active(self.request):
            return data
        hidden = self.filter.cleansed_substitute
        if "request_GET_items" in data:
            data["request_GET_items"] = [(key, hidden) for key in self.request.GET]
        if "request_FILES_items" in data:
            data["request_FILES_items"] = [(key, hidden) for key in self.request.FILES]
        if "request_insecure_uri" in data:
            data["request_insecure_uri"] = data["request_insecure_uri"].split("?", 1)[0]
        return data


def mask_address(address: str) -> str:
    local, _at, domain = address.partition("@")
    if not domain:
        return (address[:3] + "…" + address[-2:]) if len(address) > 5 else "…"
    return f"{local[:1]}…@{domain[:1]}…"


class MaskingConsoleEmailBackend(ConsoleEmailBackend):
    """Like Django's console backend, with the To/Cc/Bcc addresses masked."""

    def write_message(self, message: Any) -> None:
        headers = [
            f"Subject: {message.subject}",
            f"From: {message.from_email}",
            f"To: {', '.join(mask_address(a) for a in message.to)}",
        ]
        if message.cc:
            headers.append(f"Cc: {', '.join(mask_address(a) for a in message.cc)}")
        if message.bcc:
            headers.append(f"Bcc: {len(message.bcc)} address(es)")
        self.stream.write("\n".join(headers) + "\n\n" + str(message.body) + "\n")
        self.stream.write("-" * 79)
        self.stream.write("\n")
