"""E-mail alerts: anyone may follow a published case, or an area (a province, optionally a commune and a topic),
and gets an e-mail when an answer or conclusion is published there (like FixMyStreet's local alerts and GOV.UK's
e-mail subscriptions). The Atom feed (``public.feeds``) serves the same answers to feed readers.

- **Following** (``request_follow``) sends ONE e-mail with a confirmation link and nothing else until that link
  is opened. The page answers the same whether or not the address already follows (an address that already
  does gets a reminder with its links instead), so nobody learns who follows what. Requests are counted per
  client (``RateLimited`` past the limit) and e-mails per address (past the limit nothing is sent, and the page
  still answers the same). Unconfirmed follows expire after ``CONFIRM_DAYS`` and are pruned.
- **Links.** Each follow has one link token, derived from ``link_salt`` and the server's secret (so the job can
  put it in every alert); the database keeps only its SHA-256. The same token confirms, stops (each a page and its
  button) and opens the page that lists and stops every follow of the address.
- **Privacy.** The address is sealed to the notifier key (opened by the worker at send time) and found by a keyed
  hash; nothing here reads the reporter. An alert carries what the portal shows (``presenters.published_item``:
  the masked title and answer). Denunciations are never mailed: their conclusions stay on the portal and in the
  feed only (Art. 40 of the Law on Denunciations asks the unit to publish them, not to push them to inboxes).
- **Sending** is the job ``tell_followers`` (``settings.CASE_JOBS``) after a ``resolved`` event: one e-mail per
  address per answer through the notify outbox, whose keys make a second run send nothing more.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from pakn.cases.models import Answer, Case, Kind, Topic
from pakn.core.errors import InvalidInput, NotFound, RateLimited
from pakn.org.models import Commune, Province
from pakn.public.models import AlertFollow
from pakn.public.presenters import RESULT_KINDS, mask, published_cases, published_item

CONFIRM_DAYS = 7  # an unconfirmed follow expires (and is pruned) after this many days
KEEP_STOPPED_DAYS = 30  # a stopped follow can be resumed from its page this long, then it is deleted
# Defaults; ``PAKN_THROTTLE_RATES`` may set ``alerts=N/seconds`` and ``alerts_address=N/seconds``.
CLIENT_RATE = (10, 3600)  # follow requests per client per hour (then 429)
ADDRESS_RATE = (3, 86400)  # e-mails (confirmation or reminder) per address per day (then nothing is sent)
TOKEN_LENGTH = 40
PUBLISHING_ACTIONS = ("resolved",)  # the answer or conclusion is written (public if the case is published)


# ---------------------------------------------------------------- addresses, links and counters


def normalise_address(value: Any) -> str:
    return str(value or "").strip().lower()


def address_key(address: str) -> str:
    """The keyed hash that says "same address" without storing it."""
    return salted_hmac("pakn.public.alerts.address", normalise_address(address), algorithm="sha256").hexdigest()


def link_token(follow: AlertFollow) -> str:
    return _token(follow.link_salt)


def _token(salt: str) -> str:
    return salted_hmac("pakn.public.alerts.link", salt, algorithm="sha256").hexdigest()[:TOKEN_LENGTH]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_link() -> tuple[str, str]:
    """(salt, SHA-256 of the token it gives)."""
    salt = secrets.token_hex(16)
    return salt, _digest(_token(salt))


def _rate(scope: str, default: tuple[int, int]) -> tuple[int, int]:
    from pakn.protection import throttle

    return throttle.rates().get(scope, default)


def _over(scope: str, who: str, default: tuple[int, int]) -> int:
    """Count one for ``who`` in ``scope``; the seconds until its window ends when that went past the limit
    (0 when within it)."""
    from pakn.protection import throttle

    limit, window = _rate(scope, default)
    if limit <= 0:
        return 0
    bucket = int(timezone.now().timestamp()) // window
    if throttle.increment(f"pakn:throttle:{scope}:{who}:{bucket}", window + 60) > limit:
        return throttle.window_left(window)
    return 0


def links(follow: AlertFollow) -> dict[str, str]:
    from pakn.core.site import public_base_url

    token, base = link_token(follow), public_base_url()
    return {
        "confirm": base + reverse("portal_alert_confirm", args=[token]),
        "stop": base + reverse("portal_alert_stop", args=[token]),
        "manage": base + reverse("portal_alert_manage", args=[token]),
    }


# ---------------------------------------------------------------- what is followed


@dataclass(frozen=True)
class Target:
    case: Case | None = None
    province: Province | None = None
    commune: Commune | None = None
    topic: Topic | None = None

    @property
    def key(self) -> str:
        if self.case is not None:
            return f"case:{self.case.pk}"
        parts = (self.province.pk if self.province else "", self.commune.pk if self.commune else "")
        return f"area:{parts[0]}:{parts[1]}:{self.topic.code if self.topic else ''}"


def followable_cases() -> QuerySet[Case]:
    """Published cases that may be followed and mailed about: every one but denunciations."""
    return published_cases().exclude(kind=Kind.DENUNCIATION)


def clean_target(
    *, case_id: Any = None, province_code: Any = "", commune_code: Any = "", topic_code: Any = ""
) -> Target:
    """A published case (not a denunciation: NotFound), or an area: a province, a commune of it, a topic."""
    if case_id not in (None, ""):
        try:
            pk = int(case_id)
        except (TypeError, ValueError):
            raise NotFound() from None
        case = followable_cases().filter(pk=pk).first()
        if case is None:
            raise NotFound()
        return Target(case=case)
    errors: dict[str, list[Any]] = {}
    province = Province.objects.filter(pk=str(province_code or "")).first()
    if province is None:
        errors["province_code"] = [_("Chọn tỉnh/thành phố muốn theo dõi.")]
    commune = None
    if commune_code:
        commune = Commune.objects.filter(pk=str(commune_code)).first()
        if commune is None or (province is not None and commune.province_id != province.pk):
            errors["commune_code"] = [_("Xã/phường không thuộc tỉnh/thành phố đã chọn.")]
    topic = None
    if topic_code:
        topic = Topic.objects.filter(code=str(topic_code)).first()
        if topic is None:
            errors["topic_code"] = [_("Không có lĩnh vực này.")]
    if errors:
        raise InvalidInput(fields=errors)
    return Target(province=province, commune=commune, topic=topic)


def describe(follow: AlertFollow | Target) -> str:
    """What is followed, in words, in the current language (the case's title masked as on the portal)."""
    if follow.case is not None:
        return _("hồ sơ số %(id)s: %(title)s") % {"id": follow.case.pk, "title": mask(follow.case.title)}
    place = follow.province.name if follow.province is not None else ""
    if follow.commune is not None:
        place = f"{follow.commune.name}, {place}"
    if follow.topic is not None:
        name = (
            follow.topic.name_en if translation.get_language() == "en" and follow.topic.name_en else follow.topic.name
        )
        return _("trả lời, kết luận tại %(place)s, lĩnh vực %(topic)s") % {"place": place, "topic": name}
    return _("trả lời, kết luận tại %(place)s") % {"place": place}


# ---------------------------------------------------------------- following


def _clean_address(value: Any) -> str:
    address = normalise_address(value)
    try:
        if len(address) > 254:
            raise ValidationError("too long")
        validate_email(address)
    except ValidationError:
        raise InvalidInput(fields={"email": [_("Nhập một địa chỉ thư điện tử hợp lệ.")]}) from None
    return address


@sensitive_variables("email", "address")
def request_follow(
    *,
    email: Any,
    language: Any,
    client: str,
    case_id: Any = None,
    province_code: Any = "",
    commune_code: Any = "",
    topic_code: Any = "",
) -> None:
    """Ask to follow a case or an area from ``email``. Returns nothing, whatever happened: a new follow waits for
    its confirmation link; a follow waiting for one gets a new link (the old one stops working); a confirmed
    follow gets a reminder with its links. ``client``: the requester's throttle key (``throttle.client_key``)."""
    wait = _over("alerts", client, CLIENT_RATE)
    if wait:
        raise RateLimited(retry_after=wait)
    address = _clean_address(email)
    target = clean_target(
        case_id=case_id, province_code=province_code, commune_code=commune_code, topic_code=topic_code
    )
    prune_follows()
    lang = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    key = address_key(address)
    if _over("alerts_address", key, ADDRESS_RATE):
        return  # this address got enough e-mails today; the page answers the same
    from pakn.protection.notifier import seal_contact

    sealed = seal_contact("email", address)
    try:
        with transaction.atomic():
            _follow(key, sealed, target, lang)
    except IntegrityError:  # the same request twice at once: the other one sent the e-mail
        return


def _follow(key: str, sealed: str, target: Target, language: str) -> None:
    now = timezone.now()
    follow = AlertFollow.objects.select_for_update().filter(email_key=key, target=target.key).first()
    if follow is not None and follow.confirmed_at is not None and follow.unsubscribed_at is None:
        follow.sealed_email, follow.language = sealed, language
        follow.save(update_fields=["sealed_email", "language"])
        _queue_reminder(follow)
        return
    salt, digest = _new_link()
    if follow is None:
        follow = AlertFollow(email_key=key, target=target.key)
    follow.case, follow.province, follow.commune, follow.topic = (
        target.case,
        target.province,
        target.commune,
        target.topic,
    )
    follow.sealed_email, follow.language = sealed, language
    follow.link_salt, follow.token_hash = salt, digest
    follow.created_at, follow.confirmed_at, follow.unsubscribed_at = now, None, None
    follow.save()
    _queue_confirmation(follow)


def _queue(follow: AlertFollow, *, key: str, subject: str, body: str, case: Any = None, stop_link: bool = True) -> None:
    """``stop_link``: the e-mail carries List-Unsubscribe (the follow's stop link), except the confirmation,
    which follows nothing yet."""
    from pakn.notify.services import queue

    queue(
        channel="email",
        sealed_recipient=follow.sealed_email,
        subject=subject,
        body=body,
        key=key,
        case=case,
        unsubscribe_url=links(follow)["stop"] if stop_link else "",
    )


def _queue_confirmation(follow: AlertFollow) -> None:
    with translation.override(follow.language):
        _queue(
            follow,
            key=f"alert-confirm:{follow.pk}:{follow.token_hash[:16]}",
            stop_link=False,
            subject=_("Xác nhận theo dõi trả lời, kết luận trên PAKN"),
            body=_(
                "Có người (có thể là bạn) vừa đăng ký nhận thư điện tử khi có trả lời, kết luận mới được công khai "
                "về %(what)s.\n\nĐể xác nhận, mở đường dẫn sau trong vòng %(days)s ngày rồi bấm nút Xác nhận:\n"
                "%(link)s\n\nNếu không "
                "phải bạn đăng ký, hãy bỏ qua thư này: yêu cầu sẽ tự hết hạn và bạn sẽ không nhận thêm thư nào."
            )
            % {"what": describe(follow), "days": CONFIRM_DAYS, "link": links(follow)["confirm"]},
        )


def _queue_reminder(follow: AlertFollow) -> None:
    at = timezone.now().strftime("%Y%m%d%H%M%S%f")
    with translation.override(follow.language):
        urls = links(follow)
        _queue(
            follow,
            key=f"alert-again:{follow.pk}:{at}",
            subject=_("Bạn đang theo dõi mục này trên PAKN"),
            body=_(
                "Có người (có thể là bạn) vừa đăng ký theo dõi %(what)s bằng địa chỉ này. Địa chỉ này đã theo dõi "
                "mục đó: không cần làm gì thêm.\n\nNgừng theo dõi: %(stop)s\nXem và ngừng mọi theo dõi của địa "
                "chỉ này: %(manage)s"
            )
            % {"what": describe(follow), "stop": urls["stop"], "manage": urls["manage"]},
        )


# ---------------------------------------------------------------- the links in the e-mails


def follow_for_link(token: Any) -> AlertFollow:
    """The follow a link opens; NotFound for any other text, an expired request or a follow deleted since."""
    token = str(token or "").strip()
    follow = None
    if len(token) == TOKEN_LENGTH:
        follow = (
            AlertFollow.objects.select_related("case", "province", "commune", "topic")
            .filter(token_hash=_digest(token))
            .first()
        )
    if follow is not None and follow.confirmed_at is None and _expired(follow):
        follow = None
    if follow is None:
        raise NotFound(_("Đường dẫn không đúng hoặc đã hết hạn. Bạn có thể đăng ký theo dõi lại."))
    return follow


def _expired(follow: AlertFollow) -> bool:
    return follow.created_at < timezone.now() - timedelta(days=CONFIRM_DAYS)


def confirm_follow(*, token: Any) -> AlertFollow:
    """The confirmation link: from now on the address gets the alerts. Opening it again changes nothing."""
    follow = follow_for_link(token)
    with transaction.atomic():
        follow = _locked(follow)
        if follow.unsubscribed_at is not None:
            raise NotFound(_("Bạn đã ngừng theo dõi mục này. Có thể bật lại từ trang ngừng theo dõi."))
        if follow.confirmed_at is None:
            follow.confirmed_at = timezone.now()
            follow.save(update_fields=["confirmed_at"])
    return follow


def _locked(follow: AlertFollow) -> AlertFollow:
    return (
        AlertFollow.objects.select_for_update(of=("self",))
        .select_related("case", "province", "commune", "topic")
        .get(pk=follow.pk)
    )


def unsubscribe(*, token: Any) -> AlertFollow:
    """One click: no more e-mail about this follow (again: nothing changes). Also stops a request not confirmed."""
    follow = follow_for_link(token)
    with transaction.atomic():
        follow = _locked(follow)
        if follow.unsubscribed_at is None:
            follow.unsubscribed_at = timezone.now()
            follow.save(update_fields=["unsubscribed_at"])
    return follow


def resume_follow(*, token: Any) -> AlertFollow:
    """Undo a stop (a click by mistake): the follow is as it was, confirmed if it was."""
    follow = follow_for_link(token)
    with transaction.atomic():
        follow = _locked(follow)
        if follow.unsubscribed_at is not None:
            follow.unsubscribed_at = None
            follow.save(update_fields=["unsubscribed_at"])
    return follow


def follows_of(follow: AlertFollow) -> list[AlertFollow]:
    """Every follow of the same address still on (confirmed, or waiting for its confirmation), newest first."""
    rows = AlertFollow.objects.filter(email_key=follow.email_key, unsubscribed_at__isnull=True).select_related(
        "case", "province", "commune", "topic"
    )
    fresh = timezone.now() - timedelta(days=CONFIRM_DAYS)
    return [f for f in rows if f.confirmed_at is not None or f.created_at >= fresh]


def stop_follows(*, token: Any, follow_id: Any = None) -> int:
    """From the page of an address (opened with any of its links): stop one of its follows (``follow_id``) or,
    without one, all of them. Returns how many were stopped; another address's follow is NotFound."""
    follow = follow_for_link(token)
    rows = AlertFollow.objects.filter(email_key=follow.email_key, unsubscribed_at__isnull=True)
    if follow_id not in (None, ""):
        try:
            rows = rows.filter(pk=int(follow_id))
        except (TypeError, ValueError):
            raise NotFound() from None
        if not rows.exists():
            raise NotFound()
    with transaction.atomic():
        return rows.update(unsubscribed_at=timezone.now())


def prune_follows() -> int:
    """Delete requests never confirmed within ``CONFIRM_DAYS`` and follows stopped more than ``KEEP_STOPPED_DAYS``
    ago. Runs with every follow request and every alert job (idempotent, one indexed delete)."""
    now = timezone.now()
    with transaction.atomic():
        expired = Q(confirmed_at__isnull=True, created_at__lt=now - timedelta(days=CONFIRM_DAYS))
        stopped = Q(unsubscribed_at__lt=now - timedelta(days=KEEP_STOPPED_DAYS))
        deleted, _rows = AlertFollow.objects.filter(expired | stopped).delete()
    return deleted


# ---------------------------------------------------------------- the job after a publication


def followers_of(case: Case, *, confirmed_by: Any) -> list[AlertFollow]:
    """Follows that want an e-mail about ``case``: of the case itself, or of its area, confirmed by
    ``confirmed_by`` and not stopped; one per address (the case's own follow first, for its links)."""
    area = (
        Q(case__isnull=True, province_id=case.province_id)
        & (Q(commune__isnull=True) | Q(commune_id=case.commune_id))
        & (Q(topic__isnull=True) | Q(topic_id=case.topic_id))
    )
    rows = (
        AlertFollow.objects.filter(confirmed_at__isnull=False, confirmed_at__lte=confirmed_by)
        .filter(unsubscribed_at__isnull=True)
        .filter(Q(case=case) | area)
        .select_related("case", "province", "commune", "topic")
        .order_by("pk")
    )
    chosen: dict[str, AlertFollow] = {}
    for follow in rows:
        current = chosen.get(follow.email_key)
        if current is None or (current.case_id is None and follow.case_id is not None):
            chosen[follow.email_key] = follow
    return list(chosen.values())


def tell_followers(*, case: Any, event: Any) -> None:
    """Job (``settings.CASE_JOBS``) after a ``resolved`` event of a published case that is not a denunciation: one
    e-mail per following address, in the language it followed in, with what the portal shows and the links to
    stop. Queued once however often the job runs (the outbox's key is the answer's and the address's)."""
    if event.action not in PUBLISHING_ACTIONS or case.kind == Kind.DENUNCIATION:
        return
    published = followable_cases().filter(pk=case.pk).first()
    if published is None:
        return
    answer = Answer.objects.filter(case=published, kind__in=RESULT_KINDS).order_by("-created_at", "-pk").first()
    if answer is None:
        return
    followers = followers_of(published, confirmed_by=event.created_at)
    if not followers:
        return
    items: dict[str, dict[str, Any]] = {}
    with transaction.atomic():
        for follow in followers:
            with translation.override(follow.language):
                if follow.language not in items:
                    items[follow.language] = published_item(published)
                subject, body = _alert(follow, items[follow.language])
            _queue(follow, key=f"alert:{answer.pk}:{follow.email_key[:40]}", subject=subject, body=body, case=case)
    prune_follows()


def _alert(follow: AlertFollow, item: dict[str, Any]) -> tuple[str, str]:
    from pakn.core.site import public_base_url

    urls = links(follow)
    answered = item["answered_on"].strftime("%d/%m/%Y") if item["answered_on"] else ""
    subject = _("Đã công khai %(answer_kind)s: %(title)s") % {
        "answer_kind": str(item["answer_kind_label"]).lower(),
        "title": item["title"],
    }
    body = _(
        "%(kind)s: %(title)s\n%(unit)s – %(answer_kind)s, ngày %(date)s:\n\n%(answer)s\n\nXem trên cổng công khai: "
        "%(url)s\n\n—\nBạn nhận thư này vì đã đăng ký theo dõi %(what)s.\nNgừng theo dõi: %(stop)s\n"
        "Xem và ngừng mọi theo dõi của địa chỉ này: %(manage)s"
    ) % {
        "kind": item["kind_label"],
        "title": item["title"],
        "unit": item["unit"],
        "answer_kind": item["answer_kind_label"],
        "date": answered,
        "answer": item["answer"],
        "url": public_base_url() + reverse("portal_answer", args=[item["id"]]),
        "what": describe(follow),
        "stop": urls["stop"],
        "manage": urls["manage"],
    }
    return str(subject), str(body)
