"""Atom feed of published answers and conclusions (``/public/feeds/answers.atom``), for anyone who follows an area
or a field in a feed reader: ``?province=01&commune=00004&topic=land``. The same masked text as the portal
(``presenters.published_items``): never a reporter, and a denunciation's conclusion without the denouncer."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from pakn.public.presenters import published_cases, published_items

LATEST = 50


class AnswersFeed(Feed):  # type: ignore[type-arg]
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, str]:
        return {key: request.GET.get(key, "")[:10] for key in ("province", "commune", "topic")}

    def title(self, obj: dict[str, str]) -> str:
        return str(_("PAKN: trả lời, kết luận đã công khai"))

    def subtitle(self, obj: dict[str, str]) -> str:
        chosen = ", ".join(f"{k}={v}" for k, v in obj.items() if v)
        return str(_("Lọc: %(chosen)s") % {"chosen": chosen}) if chosen else str(_("Tất cả địa bàn, lĩnh vực"))

    def link(self, obj: dict[str, str]) -> str:
        return reverse("portal_answers")

    def items(self, obj: dict[str, str]) -> list[dict[str, Any]]:
        cases = published_cases()
        if obj["province"]:
            cases = cases.filter(province_id=obj["province"])
        if obj["commune"]:
            cases = cases.filter(commune_id=obj["commune"])
        if obj["topic"]:
            cases = cases.filter(topic__code=obj["topic"])
        return published_items(cases.order_by("-updated_at", "-pk")[:LATEST])

    def item_title(self, item: dict[str, Any]) -> str:
        return f"{item['kind_label']}: {item['title']}"

    def item_description(self, item: dict[str, Any]) -> str:
        return f"{item['unit']} – {item['answer_kind_label']}: {item['answer']}"

    def item_link(self, item: dict[str, Any]) -> str:
        return reverse("portal_answer", args=[item["id"]])

    def item_pubdate(self, item: dict[str, Any]) -> Any:
        day = item["answered_on"] or item["received_on"]
        return timezone.make_aware(datetime.combine(day, time(12))) if day else None

    def item_categories(self, item: dict[str, Any]) -> list[str]:
        return [c for c in (item["topic"], item["province"]) if c]
