"""The language package's one write path: the search index, routing suggestions and clerks' corrections,
trained router models, duplicate flags. Changes to a case itself go through ``pakn.cases.services``."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from pakn.cases import services as case_services
from pakn.cases.models import Case, Kind, Topic
from pakn.core.errors import InvalidInput, InvalidTransition, NotFound
from pakn.language import duplicates
from pakn.language.classifier import TextClassifier
from pakn.language.models import (
    CaseSearchDocument,
    Correction,
    DuplicateFlag,
    RouterModel,
    Suggestion,
    SuggestionStatus,
)
from pakn.language.search import document_keys, scope_key
from pakn.org.access import require_handler
from pakn.org.models import Unit

log = logging.getLogger(__name__)


# ---------------------------------------------------------------- search index


def index_cases(cases: list[Case]) -> dict[int, CaseSearchDocument]:
    """Create or refresh the cases' search documents (a no-op for a case whose text did not change): four queries
    and one insert for the lot, a save for each document whose text changed; the writes in one short transaction
    after the reading."""
    by_id = {case.pk: case for case in cases}
    ids = list(by_id)
    later, scopes = later_by_case(ids), scope_keys(ids)
    documents = {document.case_id: document for document in CaseSearchDocument.objects.filter(case_id__in=ids)}
    new, changed = [], []
    for case in by_id.values():
        keys = document_keys(
            title=case.title,
            content=case.content,
            subject=case.subject,
            address=case.address,
            later=later.get(case.pk, ""),
        )
        keys["scope_key"] = scopes.get(case.pk, "")
        document = documents.get(case.pk)
        if document is None:
            documents[case.pk] = document = CaseSearchDocument(case_id=case.pk, **keys)
            new.append(document)
        elif any(getattr(document, name) != value for name, value in keys.items()):
            for name, value in keys.items():
                setattr(document, name, value)
            changed.append(document)
    with transaction.atomic():
        CaseSearchDocument.objects.bulk_create(new)
        for document in changed:
            document.save()
    return documents


def later_by_case(case_ids: list[int]) -> dict[int, str]:
    """What was written on these cases after filing: the citizen's added information and the unit's
    messages (both stored redacted) and the unit's answers, redacted here the same way (the reporter's
    identity and generic identifiers never become searchable words), oldest first."""
    from pakn.cases.models import Answer, Message
    from pakn.protection.services import redact_for_case

    texts: dict[int, list[str]] = {}
    for case_id, body in Message.objects.filter(case_id__in=case_ids).order_by("pk").values_list("case_id", "body"):
        texts.setdefault(case_id, []).append(body)
    answered = Answer.objects.filter(case_id__in=case_ids).order_by("pk").select_related("case")
    for answer in answered:
        texts.setdefault(answer.case_id, []).append(redact_for_case(answer.case, answer.body).text)
    return {case_id: "\n".join(parts) for case_id, parts in texts.items()}


def scope_keys(case_ids: list[int]) -> dict[int, str]:
    """The index's scope and recency terms of these cases (``search.scope_key``)."""
    rows = Case.objects.filter(pk__in=case_ids).values_list(
        "pk", "unit_id", "province_id", "commune_id", "unit__province_id", "unit__commune_id"
    )
    return {
        pk: scope_key(
            case_id=pk,
            unit_id=unit,
            province_id=province,
            commune_id=commune,
            unit_province_id=unit_province,
            unit_commune_id=unit_commune,
        )
        for pk, unit, province, commune, unit_province, unit_commune in rows
    }


def rebuild_index(*, queryset: QuerySet[Case] | None = None, batch_size: int = 2000, progress: Any = None) -> int:
    """(Re)index many cases at once (``pakn searchindex rebuild``, benchmarks). Returns how many."""
    queryset = (queryset if queryset is not None else Case.objects.all()).order_by("pk")
    done = 0
    last = 0
    while True:
        rows = list(
            queryset.filter(pk__gt=last).values_list("pk", "title", "content", "subject", "address")[:batch_size]
        )
        if not rows:
            return done
        with transaction.atomic():
            ids = [r[0] for r in rows]
            later = later_by_case(ids)
            scopes = scope_keys(ids)
            CaseSearchDocument.objects.filter(case_id__in=ids).delete()
            CaseSearchDocument.objects.bulk_create(
                CaseSearchDocument(
                    case_id=pk,
                    scope_key=scopes[pk],
                    **document_keys(title=t, content=c, subject=s, address=a, later=later.get(pk, "")),
                )
                for pk, t, c, s, a in rows
            )
        done += len(rows)
        last = rows[-1][0]
        if progress:
            progress(done)


# ---------------------------------------------------------------- suggestions and corrections


def record_suggestions(cases: list[Case]) -> list[Suggestion]:
    """The routing suggestion of each case (``classifier.suggest_many``: the models asked once for all),
    computed before the transaction: the write lock is held only for the insert."""
    from pakn.language.classifier import SuggestionInput, suggest_many

    results = suggest_many(
        [SuggestionInput(case.title, case.content, case.province_id, case.commune_id) for case in cases]
    )
    suggestions = [Suggestion(case=case, **result.as_fields()) for case, result in zip(cases, results, strict=True)]
    with transaction.atomic():
        return Suggestion.objects.bulk_create(suggestions)


def _latest_suggestion(case: Case, suggestion_id: int | None) -> Suggestion:
    queryset = Suggestion.objects.filter(case=case)
    if suggestion_id is not None:
        queryset = queryset.filter(pk=suggestion_id)
    suggestion = queryset.order_by("-created_at", "-id").first()
    if suggestion is None:
        raise NotFound()
    return suggestion


def _apply_topic(*, actor: Any, case: Case, topic_code: str) -> None:
    """Set the case's topic through the cases package (``services.set_topic``) once it offers it."""
    setter = getattr(case_services, "set_topic", None)
    if setter is not None and (case.topic is None or case.topic.code != topic_code):
        setter(actor=actor, case=case, topic_code=topic_code)


def _apply_unit(*, actor: Any, case: Case, unit_code: str) -> None:
    if not unit_code or unit_code == case.unit.code:
        return
    unit = Unit.objects.filter(code=unit_code, is_active=True).first()
    if unit is None:
        raise InvalidInput(fields={"unit_code": [_("Không tìm thấy đơn vị với mã này.")]})
    case_services.forward_case(
        actor=actor,
        case=case,
        to_unit=unit,
        reason=_("Chuyển đến đơn vị có thẩm quyền theo phân loại lĩnh vực (cán bộ đã xác nhận)."),
    )


def review_suggestion(
    *,
    actor: Any,
    case: Case,
    suggestion_id: int | None = None,
    kind: str | None = None,
    topic_code: str | None = None,
    unit_code: str | None = None,
    apply: bool = True,
) -> Suggestion:
    """A clerk confirms (nothing changed) or corrects (any of kind, topic, unit) the suggestion with one
    click. Every answer is kept as ``Correction`` rows (agreeing ones too: they are training data). With
    ``apply``, the chosen topic is set on the case and the case is forwarded to the chosen unit."""
    require_handler(actor, case)
    suggestion = _latest_suggestion(case, suggestion_id)
    chosen = {
        Correction.Field.KIND: kind or suggestion.kind,
        Correction.Field.TOPIC: topic_code or suggestion.topic_code,
        Correction.Field.UNIT: unit_code or suggestion.unit_code,
    }
    errors: dict[str, list[Any]] = {}
    if chosen[Correction.Field.KIND] not in Kind.values:
        errors["kind"] = [_("Loại đơn không hợp lệ.")]
    if chosen[Correction.Field.TOPIC] and not Topic.objects.filter(code=chosen[Correction.Field.TOPIC]).exists():
        errors["topic_code"] = [_("Lĩnh vực không hợp lệ.")]
    if (
        chosen[Correction.Field.UNIT]
        and not Unit.objects.filter(code=chosen[Correction.Field.UNIT], is_active=True).exists()
    ):
        errors["unit_code"] = [_("Không tìm thấy đơn vị với mã này.")]
    if errors:
        raise InvalidInput(fields=errors)
    with transaction.atomic():
        suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        if suggestion.status != SuggestionStatus.PENDING:
            raise InvalidTransition(_("Gợi ý này đã được xử lý."))
        suggested = {
            Correction.Field.KIND: suggestion.kind,
            Correction.Field.TOPIC: suggestion.topic_code,
            Correction.Field.UNIT: suggestion.unit_code,
        }
        Correction.objects.bulk_create(
            Correction(
                suggestion=suggestion, case=case, field=field, suggested=suggested[field], chosen=value, actor=actor
            )
            for field, value in chosen.items()
            if value
        )
        agreed = all(chosen[f] == suggested[f] for f in chosen)
        suggestion.status = SuggestionStatus.CONFIRMED if agreed else SuggestionStatus.CORRECTED
        suggestion.save(update_fields=["status"])
        if apply:
            if chosen[Correction.Field.TOPIC]:
                _apply_topic(actor=actor, case=case, topic_code=chosen[Correction.Field.TOPIC])
            _apply_unit(actor=actor, case=case, unit_code=chosen[Correction.Field.UNIT])
    return suggestion


# ---------------------------------------------------------------- router models


def save_router_model(*, target: str, classifier: TextClassifier, n_docs: int, data_source: str) -> RouterModel:
    blob = classifier.dumps()
    with transaction.atomic():
        RouterModel.objects.filter(target=target, active=True).update(active=False)
        return RouterModel.objects.create(
            target=target,
            version=hashlib.sha256(blob).hexdigest(),
            blob=blob,
            labels=classifier.labels,
            n_docs=n_docs,
            data_source=data_source[:300],
            active=True,
        )


def history_rows(target: str) -> tuple[list[str], list[str]]:
    """Training data from the deployment's own cases: title and content → the topic (or kind), with the
    clerks' latest corrections taking precedence over what is stored on the case."""
    field = Correction.Field.TOPIC if target == "topic" else Correction.Field.KIND
    corrected: dict[int, str] = {}
    for case_id, chosen in (
        Correction.objects.filter(field=field).order_by("created_at", "id").values_list("case_id", "chosen")
    ):
        corrected[case_id] = chosen
    texts: list[str] = []
    labels: list[str] = []
    rows = Case.objects.exclude(status="merged").values_list("pk", "title", "content", "kind", "topic__code")
    for pk, title, content, kind, topic_code in rows.iterator(chunk_size=2000):
        label = corrected.get(pk) or (topic_code if target == "topic" else kind)
        if label:
            texts.append(f"{title}\n{content}")
            labels.append(label)
    return texts, labels


# ---------------------------------------------------------------- duplicates


def flag_duplicates(*, case: Case, limit: int = 5) -> int:
    """At intake: open cases of the same place that look like the same matter, for the clerk. Returns how many
    were found (flagged now or before)."""
    matches = duplicates.find_similar(
        Case.objects.all(),
        title=case.title,
        content=case.content,
        address=case.address,
        province_code=case.province_id,
        commune_code=case.commune_id,
        threshold=duplicates.FLAG_THRESHOLD,
        limit=limit,
        exclude=[case.pk],
    )  # read before the transaction: the write lock is held only for the flags
    if not matches:
        return 0
    DuplicateFlag.objects.bulk_create(  # one statement; a pair flagged before (a job run twice) is kept as it was
        [
            DuplicateFlag(case=case, candidate_id=m.case_id, score=m.score, origin=DuplicateFlag.Origin.INTAKE)
            for m in matches
        ],
        ignore_conflicts=True,
    )
    return len(matches)


def join_case(*, case: Case, ref: str) -> DuplicateFlag:
    """The citizen said their new submission is about a case already shown to them (a signed ``ref``
    from the similar-cases list): the clerk is asked to merge it, and the count grows at once."""
    candidate_id = duplicates.case_id_from_ref(ref or "")
    candidate = duplicates.public_cases().filter(pk=candidate_id).exclude(pk=case.pk).first() if candidate_id else None
    if candidate is None:
        raise InvalidInput(fields={"duplicate_of": [_("Không tìm thấy hồ sơ tương tự đã chọn.")]})
    fingerprint = duplicates.text_fingerprint(case.title, case.content)
    score = duplicates.similarity(fingerprint, duplicates.text_fingerprint(candidate.title, candidate.content))
    flag, created = DuplicateFlag.objects.get_or_create(
        case=case, candidate=candidate, defaults={"score": score, "origin": DuplicateFlag.Origin.CITIZEN}
    )
    if not created and flag.origin != DuplicateFlag.Origin.CITIZEN:
        flag.origin = DuplicateFlag.Origin.CITIZEN
        flag.save(update_fields=["origin"])
    return flag


def merge_duplicate(*, actor: Any, flag: DuplicateFlag) -> DuplicateFlag:
    """One click: merge the flagged case into the earlier one (``cases.services.merge_case`` keeps the
    reporter, the messages and moves every open deadline obligation)."""
    if flag.state != DuplicateFlag.State.OPEN:
        raise InvalidTransition(_("Đề xuất gộp này đã được xử lý."))
    with transaction.atomic():
        case_services.merge_case(actor=actor, case=flag.case, into=flag.candidate)
        now = timezone.now()
        DuplicateFlag.objects.filter(pk=flag.pk).update(
            state=DuplicateFlag.State.MERGED, decided_by=actor, decided_at=now
        )
        # Other open suggestions about the merged case are settled by the merge.
        DuplicateFlag.objects.filter(case=flag.case, state=DuplicateFlag.State.OPEN).exclude(pk=flag.pk).update(
            state=DuplicateFlag.State.DISMISSED, decided_by=actor, decided_at=now
        )
    flag.refresh_from_db()
    return flag


def dismiss_duplicate(*, actor: Any, flag: DuplicateFlag) -> DuplicateFlag:
    require_handler(actor, flag.case)
    if flag.state != DuplicateFlag.State.OPEN:
        raise InvalidTransition(_("Đề xuất gộp này đã được xử lý."))
    DuplicateFlag.objects.filter(pk=flag.pk).update(
        state=DuplicateFlag.State.DISMISSED, decided_by=actor, decided_at=timezone.now()
    )
    flag.refresh_from_db()
    return flag


def open_flags(case_ids: Iterable[int]) -> QuerySet[DuplicateFlag]:
    return DuplicateFlag.objects.filter(case_id__in=list(case_ids), state=DuplicateFlag.State.OPEN)


def access_flag(user: Any, flag_id: Any) -> DuplicateFlag:
    """A duplicate flag if ``user`` may see both of its cases; NotFound otherwise."""
    from pakn.core.errors import NotFound
    from pakn.org.access import access_case

    flag = DuplicateFlag.objects.select_related("case", "candidate").filter(pk=flag_id).first()
    if flag is None:
        raise NotFound()
    access_case(user, flag.case_id)
    access_case(user, flag.candidate_id)
    return flag
