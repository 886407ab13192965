"""The person concerned by a case, read side: clean what the citizen or clerk gave, complete it with what
the ``subject`` text says (``cases.subjects.recognise``), resolve the bodies among the units and ask the
competence rules (``cases.competence``) where the case belongs and who may not see it. Reads only; the
writes are ``services.submit`` and ``services.set_subject_person``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pakn.cases import competence, party_signs
from pakn.cases.models import Kind, SubjectSource
from pakn.cases.subjects import NamedUnit, PlaceRef, Recognition, key, recognise
from pakn.core.tables import reference_table
from pakn.org.loader import UNIT_PREFIXES
from pakn.org.models import Commune, Membership, Position, Province, Rank, Unit, UnitKind, UnitLevel, position_rank

# The kinds a person concerned is recorded for (an opinion on a draft has none).
SUBJECT_KINDS = (Kind.DENUNCIATION, Kind.COMPLAINT, Kind.REPORT, Kind.PETITION)
PARTY_KINDS = (UnitKind.PARTY_COMMITTEE, UnitKind.INSPECTION_COMMISSION)
TRUE_VALUES = (True, "1", "true", "yes", "on")
FALSE_VALUES = (False, "0", "false", "no", "off")


@dataclass(frozen=True)
class SubjectInput:
    name: str = ""
    position: str = ""
    body: Unit | None = None
    party_member: bool | None = None
    party_unit: Unit | None = None
    user: Any = None
    source: str = SubjectSource.CITIZEN
    signs: tuple[str, ...] = ()  # codes of cases.party_signs (signs of decline, Nghị quyết 04-NQ/TW)

    @property
    def about_person(self) -> bool:
        """A person is named or described (not only a body): a report is then about an official's conduct."""
        return bool(self.name or self.position or self.party_member or self.party_unit or self.user or self.signs)

    @property
    def rank(self) -> str:
        """head, deputy, other; ``competence.BODY_ONLY`` when only a body is concerned."""
        if not self.about_person:
            return competence.BODY_ONLY
        return position_rank(self.position)


@dataclass(frozen=True)
class Routing:
    unit: Unit
    rule: competence.CompetenceRule
    fallback: bool
    conflict_unit: Unit | None


@reference_table("place_refs", Commune, Province)
def _places() -> tuple[PlaceRef, ...]:
    communes = [
        PlaceRef(code=c, level=UnitLevel.COMMUNE, province_code=p, key=key(n))
        for c, p, n in Commune.objects.values_list("code", "province_id", "name")
    ]
    provinces = [
        PlaceRef(code=c, level=UnitLevel.PROVINCE, province_code=c, key=key(n), short_key=key(s))
        for c, n, s in Province.objects.values_list("code", "name", "short_name")
    ]
    return tuple(communes + provinces)


def places() -> tuple[PlaceRef, ...]:
    refs = _places()
    if not refs:  # nothing loaded yet: do not keep the empty answer
        _places.cache_clear()
    return refs


def named_units(province_code: str | None) -> list[NamedUnit]:
    """Departments and agencies a letter may name in full (the standing bodies are found by place)."""
    if not province_code:
        return []
    rows = Unit.objects.filter(
        province_id=province_code, is_active=True, kind__in=[UnitKind.DEPARTMENT, UnitKind.AGENCY]
    ).values_list("code", "kind", "name")
    return [NamedUnit(code=c, kind=k, key=key(n)) for c, k, n in rows]


def recognise_subject(text: str, *, province_code: str | None) -> Recognition:
    return recognise(text, places=places(), units=named_units(province_code), province_hint=province_code)


def body_for(recognition: Recognition, *, province_code: str | None, commune_code: str | None) -> Unit | None:
    """The unit the recognised body is: a unit named in full, or the standing body of the kind at the
    place named (or, when the text does not name one, the case's place)."""
    if recognition.unit_code:
        return Unit.objects.filter(code=recognition.unit_code, is_active=True).first()
    prefix = UNIT_PREFIXES.get(recognition.body_kind)
    if not prefix:
        return None
    if recognition.place_code:
        place = recognition.place_code
    elif recognition.level == UnitLevel.PROVINCE or not commune_code:
        place = province_code or ""
    else:
        place = commune_code
    if not place:
        return None
    return Unit.objects.filter(code=f"{prefix}-{place}", is_active=True).first()


def _bool(value: Any) -> bool | None:
    if value in TRUE_VALUES:
        return True
    if value in FALSE_VALUES:
        return False
    return None


def clean_subject_person(
    raw: Any,
    errors: dict[str, list[Any]],
    *,
    kind: str,
    subject_text: str,
    province_code: str | None,
    commune_code: str | None,
    complaint_round: int | None = None,
) -> SubjectInput | None:
    """What is known about the person concerned: the fields given (``raw``: name, position, body_code,
    party_member, party_unit_code), completed from the ``subject`` text. None when the case is not about
    anyone in particular (a report with no person named routes by place)."""
    if kind not in SUBJECT_KINDS:
        return None
    if raw in (None, ""):
        raw = {}
    if not isinstance(raw, dict):
        errors.setdefault("subject_person", []).append(_("Thông tin người bị phản ánh, tố cáo không hợp lệ."))
        return None
    name = str(raw.get("name") or "").strip()[:150]
    position = str(raw.get("position") or "")
    if position and position not in Position.values:
        errors.setdefault("subject_person.position", []).append(_("Chức vụ không hợp lệ."))
    body = party_unit = None
    if raw.get("body_code"):
        body = Unit.objects.filter(code=str(raw["body_code"]), is_active=True).first()
        if body is None:
            errors.setdefault("subject_person.body_code", []).append(_("Không có cơ quan, đơn vị này."))
    if raw.get("party_unit_code"):
        party_unit = Unit.objects.filter(code=str(raw["party_unit_code"]), is_active=True, kind__in=PARTY_KINDS).first()
        if party_unit is None:
            errors.setdefault("subject_person.party_unit_code", []).append(_("Không có tổ chức đảng này."))
    party_member = _bool(raw.get("party_member"))
    signs: tuple[str, ...] = ()
    # Signs of decline are about a person's conduct: a complaint (about a decision) keeps none.
    raw_signs = raw.get("signs") or () if kind != Kind.COMPLAINT else ()
    if isinstance(raw_signs, str) or not isinstance(raw_signs, list | tuple):
        errors.setdefault("subject_person.signs", []).append(_("Danh sách biểu hiện suy thoái không hợp lệ."))
    else:
        signs, unknown = party_signs.clean(raw_signs)
        if unknown:
            errors.setdefault("subject_person.signs", []).append(_("Biểu hiện suy thoái không có trong danh mục."))
    given = SubjectInput(
        name=name, position=position, body=body, party_member=party_member, party_unit=party_unit, signs=signs
    )
    recognition = recognise_subject(subject_text, province_code=province_code) if subject_text else Recognition()
    found = recognition.found and not (given.position and given.body)
    subject = given
    if found:
        subject = replace(
            given,
            name=given.name or recognition.name,
            position=given.position or recognition.position,
            party_member=given.party_member if given.party_member is not None else recognition.party_member,
            body=given.body or body_for(recognition, province_code=province_code, commune_code=commune_code),
            source=SubjectSource.CITIZEN if (given.about_person or given.body) else SubjectSource.RECOGNISED,
        )
    if subject.position and subject.body is None:
        # A position with no body named: the standing body of its kind at the case's place.
        body_kind = competence_body_kind(subject.position)
        if body_kind:
            subject = replace(
                subject,
                body=body_for(Recognition(body_kind=body_kind), province_code=province_code, commune_code=commune_code),
            )
    if kind == Kind.COMPLAINT and subject.body is None:
        # A complaint is always against some body's decision or act: by default the People's Committee
        # of the place (round 1 stays there, round 2 goes above).
        subject = replace(
            subject,
            body=body_for(
                Recognition(body_kind=UnitKind.PEOPLES_COMMITTEE),
                province_code=province_code,
                commune_code=commune_code,
            ),
            source=subject.source if subject.about_person else SubjectSource.RECOGNISED,
        )
    if kind in (Kind.REPORT, Kind.PETITION) and not subject.about_person:
        return None
    if not (subject.about_person or subject.body):
        return None
    return subject


def competence_body_kind(position: str) -> str:
    from pakn.org.models import POSITION_INFO

    return POSITION_INFO.get(position, (Rank.OTHER, ""))[1] or UnitKind.PEOPLES_COMMITTEE


def _node(unit: Unit) -> competence.UnitNode:
    return competence.UnitNode(
        id=unit.pk,
        kind=unit.kind,
        level=unit.level,
        parent_id=unit.parent_id,
        province_code=unit.province_id,
        commune_code=unit.commune_id,
    )


def _neighbourhood(*units: Unit | None) -> dict[int, competence.UnitNode]:
    """The units the targets may need: the given ones, their ancestors, and the party committees and
    inspection commissions of their places and provinces."""
    found: dict[int, Unit] = {}
    for unit in filter(None, units):
        current: Unit | None = unit
        for _depth in range(4):
            if current is None or current.pk in found:
                break
            found[current.pk] = current
            current = current.parent
        place = Q(commune_id=unit.commune_id) if unit.commune_id else Q(pk__in=[])
        for other in Unit.objects.filter(province_id=unit.province_id, kind__in=PARTY_KINDS).filter(
            place | Q(commune__isnull=True)
        ):
            found[other.pk] = other
    return {pk: _node(u) for pk, u in found.items()}


def _fallbacks(province_code: str) -> list[competence.UnitNode]:
    codes = [f"UBKT-{province_code}", f"UBND-{province_code}", f"DU-{province_code}"]
    by_code = {u.code: u for u in Unit.objects.filter(code__in=codes, is_active=True)}
    return [_node(by_code[c]) for c in codes if c in by_code]


def route_for_subject(*, kind: str, complaint_round: int | None, subject: SubjectInput) -> Routing | None:
    """Where the competence rules send a case about ``subject`` (None: no rule applies, route by place)."""
    if subject.body is None:
        return None
    units = _neighbourhood(subject.body, subject.party_unit)
    person = competence.Person(
        rank=subject.rank,
        body=_node(subject.body),
        party_member=bool(subject.party_member),
        party_unit=_node(subject.party_unit) if subject.party_unit else None,
    )
    decision = competence.choose(
        competence.RULES,
        kind=kind,
        person=person,
        units=units,
        complaint_round=complaint_round,
        fallbacks=_fallbacks(subject.body.province_id),
    )
    if decision is None:
        return None
    unit = Unit.objects.get(pk=decision.unit.id)
    return Routing(
        unit=unit,
        rule=decision.rule,
        fallback=decision.fallback,
        conflict_unit=conflict_unit_for(kind=kind, subject=subject, target=decision.rule.target),
    )


def conflict_unit_for(*, kind: str, subject: SubjectInput, target: str | None) -> Unit | None:
    """The unit whose members may not see the case: the body the person heads or deputy-heads when they
    are accused or the case went above them (``competence.conflict_applies``)."""
    if subject.body is None:
        return None
    if competence.conflict_applies(kind=kind, rank=subject.rank, rule_target=target):
        return subject.body
    if (
        subject.user is not None
        and target not in (None, competence.OWN_BODY)
        and Membership.objects.filter(user=subject.user, unit=subject.body).exists()
    ):
        return subject.body
    return None


def find_user(username: str) -> Any:
    return get_user_model().objects.filter(username=username, is_active=True).first()


__all__ = [
    "Rank",
    "Routing",
    "SUBJECT_KINDS",
    "SubjectInput",
    "clean_subject_person",
    "conflict_unit_for",
    "recognise_subject",
    "route_for_subject",
]
