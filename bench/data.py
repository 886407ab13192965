# ruff: noqa: E501 - the templates below are sentences
"""Realistic generated Vietnamese cases for benchmarks (and anyone who needs many cases fast).

``generate(n, seed=…)`` yields plain dicts (kind, title, content, topic, place, dates, status, publish);
the text mixes what citizens really type: full diacritics in either tone style, no diacritics at all, NFD
from some phones, teencode ("ko", "dc", "k"), abbreviations ("UBND", "TP.HCM"), capitals.
``reworded(case, rng)`` writes the same matter in other words (duplicate checks).
``labelled(n, seed=…)`` gives ``(text, topic)`` pairs for classifier throughput.
``load(n, …)`` bulk-inserts cases with their search documents into the configured database (bench only:
it bypasses the services on purpose, to load a million cases in minutes); ``setup(…, reuse=True)`` keeps
the database an earlier bench left (``--reuse``).

Usage from another benchmark::

    sys.path.insert(0, str(Path(__file__).parent)); import data
    for case in data.generate(1000, seed=1): ...
"""

from __future__ import annotations

import itertools
import random
import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

STREETS = [
    "Đội Cấn",
    "Kim Mã",
    "Láng",
    "Nguyễn Trãi",
    "Giải Phóng",
    "Hoàng Hoa Thám",
    "Lê Duẩn",
    "Trần Duy Hưng",
    "Cầu Giấy",
    "Xuân Thủy",
    "Phạm Văn Đồng",
    "Nguyễn Văn Cừ",
    "Lê Lợi",
    "Điện Biên Phủ",
    "Cách Mạng Tháng Tám",
    "Nguyễn Thị Minh Khai",
    "Võ Văn Kiệt",
    "Phan Đăng Lưu",
    "Hòa Bình",
    "Thủy Lợi",
    "Bạch Đằng",
    "Hàng Bài",
    "Tôn Đức Thắng",
    "Lạc Long Quân",
    "Âu Cơ",
    "Quang Trung",
    "Trường Chinh",
    "Lý Thường Kiệt",
    "Hai Bà Trưng",
]
PLACES = ["tổ dân phố số {n}", "ngõ {n}", "hẻm {n}", "khu tập thể {n}", "thôn {n}", "ấp {n}", "chung cư {n} tầng"]
TIMES = [
    "đã hai tuần nay",
    "từ đầu tháng",
    "nhiều tháng nay",
    "gần một năm",
    "từ hôm qua",
    "mấy ngày nay",
    "suốt mùa mưa",
]
ASKS = [
    "Đề nghị UBND phường kiểm tra, xử lý dứt điểm.",
    "Kính đề nghị cơ quan chức năng sớm vào cuộc.",
    "Mong chính quyền địa phương quan tâm giải quyết.",
    "Đề nghị các cơ quan có thẩm quyền xem xét, trả lời bằng văn bản.",
    "Người dân đã phản ánh nhiều lần nhưng chưa được giải quyết.",
]

# topic → (kind weights, [(title, content)]) ; {s} street, {p} place, {t} time, {n} number
TOPICS: dict[str, list[tuple[str, str]]] = {
    "traffic_urban": [
        (
            "Ổ gà lớn trên đường {s}",
            "Trước số {n} đường {s} có ổ gà rất sâu, {t} chưa được sửa. Xe máy đi qua nhiều lần bị ngã, nhất là buổi tối.",
        ),
        (
            "Đèn đường hỏng ở {p}",
            "Hệ thống đèn chiếu sáng ở {p} đường {s} bị hỏng {t}, buổi tối rất tối, mất an ninh và dễ xảy ra tai nạn.",
        ),
        (
            "Lấn chiếm vỉa hè đường {s}",
            "Các hộ kinh doanh trên đường {s} bày hàng hóa ra hết vỉa hè, người đi bộ phải xuống lòng đường, rất nguy hiểm.",
        ),
        (
            "Cống thoát nước bị tắc gây ngập",
            "Cống thoát nước ở {p} bị tắc {t}, mỗi khi mưa nước ngập đến đầu gối, tràn vào nhà dân.",
        ),
        (
            "Xây dựng trái phép tại {p}",
            "Một hộ dân tại {p} đường {s} đang xây thêm tầng không có giấy phép xây dựng, lấn ra phần đất công.",
        ),
        (
            "Xe quá tải làm hỏng đường {s}",
            "Xe tải chở vật liệu xây dựng chạy liên tục qua đường {s}, mặt đường hư hỏng nặng, bụi mù mịt.",
        ),
    ],
    "environment": [
        (
            "Rác thải tồn đọng ở {p}",
            "Rác thải sinh hoạt ở {p} không được thu gom {t}, bốc mùi hôi thối, ruồi muỗi nhiều, ảnh hưởng sức khỏe người dân.",
        ),
        (
            "Xưởng sản xuất gây ô nhiễm",
            "Xưởng sản xuất gỗ gần {p} đường {s} xả khói bụi và tiếng ồn cả ngày đêm, người già và trẻ nhỏ bị ho.",
        ),
        (
            "Nước thải chảy ra mương",
            "Một cơ sở chăn nuôi xả nước thải chưa qua xử lý ra mương ở {p}, nước đen và bốc mùi {t}.",
        ),
        (
            "Karaoke gây tiếng ồn ban đêm",
            "Quán karaoke ở số {n} đường {s} hát to đến 1, 2 giờ sáng, {t} người dân không ngủ được.",
        ),
        ("Đốt rác gây khói", "Có người thường xuyên đốt rác, đốt rơm ở {p}, khói bay vào nhà dân, trẻ con bị khó thở."),
    ],
    "land": [
        (
            "Tranh chấp đất đai với hộ liền kề",
            "Gia đình tôi ở {p} có tranh chấp ranh giới thửa đất với hộ bên cạnh, UBND phường đã hòa giải nhưng không thành.",
        ),
        (
            "Chậm cấp giấy chứng nhận quyền sử dụng đất",
            "Tôi nộp hồ sơ cấp sổ đỏ cho thửa đất ở {p} {t} mà vẫn chưa nhận được giấy chứng nhận quyền sử dụng đất.",
        ),
        (
            "Bồi thường giải phóng mặt bằng chưa thỏa đáng",
            "Dự án mở rộng đường {s} thu hồi đất của gia đình tôi nhưng giá bồi thường quá thấp so với giá thị trường.",
        ),
        ("Lấn chiếm đất công ở {p}", "Một số hộ dân ở {p} rào đất công làm bãi để xe, lấn chiếm lối đi chung {t}."),
    ],
    "corruption_conduct": [
        (
            "Cán bộ địa chính gây khó khăn",
            "Cán bộ địa chính phường hẹn đi hẹn lại, gợi ý phải có tiền bồi dưỡng thì hồ sơ mới được giải quyết nhanh.",
        ),
        (
            "Phản ánh thái độ của cán bộ một cửa",
            "Cán bộ tại bộ phận một cửa có thái độ hách dịch, quát nạt người dân đến làm thủ tục.",
        ),
        (
            "Tố cáo cán bộ nhận hối lộ",
            "Tôi tố cáo ông Nguyễn Văn X, cán bộ phường, đã nhận tiền của các hộ xây dựng trái phép ở {p} để làm ngơ.",
        ),
        (
            "Đảng viên vi phạm đạo đức, lối sống",
            "Một đảng viên ở {p} thường xuyên say rượu gây gổ, có biểu hiện suy thoái đạo đức, lối sống.",
        ),
        (
            "Góp ý về quy định của Ban Bí thư",
            "Đề nghị Ban Bí thư có hướng dẫn cụ thể hơn về việc tiếp nhận, xử lý phản ánh của người dân đối với cán bộ, đảng viên.",
        ),
    ],
    "admin_procedures": [
        (
            "Hồ sơ trễ hẹn tại bộ phận một cửa",
            "Tôi nộp hồ sơ đăng ký kinh doanh {t}, đã quá hạn trên giấy biên nhận mà chưa có kết quả.",
        ),
        (
            "Thủ tục chứng thực rườm rà",
            "Làm thủ tục chứng thực bản sao ở phường phải chờ rất lâu, yêu cầu thêm nhiều giấy tờ không cần thiết.",
        ),
        (
            "Khó khăn khi đăng ký tạm trú",
            "Tôi đăng ký tạm trú trên dịch vụ công {t} nhưng hồ sơ bị trả lại nhiều lần không rõ lý do.",
        ),
    ],
    "health": [
        ("Trạm y tế thiếu thuốc", "Trạm y tế phường thiếu thuốc bảo hiểm y tế {t}, người bệnh phải tự mua ngoài."),
        (
            "Thái độ phục vụ tại bệnh viện",
            "Điều dưỡng tại khoa cấp cứu bệnh viện có thái độ thiếu tôn trọng người bệnh và người nhà.",
        ),
        (
            "Nghi ngộ độc thực phẩm ở bếp ăn",
            "Nhiều học sinh bị đau bụng sau bữa trưa tại bếp ăn tập thể gần {p}, đề nghị kiểm tra an toàn thực phẩm.",
        ),
    ],
    "education": [
        (
            "Thu tiền quá quy định ở trường học",
            "Trường tiểu học gần {p} thu nhiều khoản ngoài học phí như quỹ phụ huynh, tiền điều hòa, tiền sách.",
        ),
        (
            "Giáo viên ép học sinh học thêm",
            "Giáo viên chủ nhiệm ép học sinh đi học thêm tại nhà, ai không đi học thêm thì bị điểm kém.",
        ),
    ],
    "social_welfare": [
        (
            "Chậm chi trả trợ cấp người có công",
            "Gia đình người có công ở {p} chưa được nhận trợ cấp {t}, đi hỏi thì được hẹn lại.",
        ),
        (
            "Xét hộ nghèo không công bằng",
            "Việc bình xét hộ nghèo ở {p} không công khai, có hộ khá giả vẫn được hưởng chính sách.",
        ),
    ],
    "security_order": [
        (
            "Tụ tập đua xe trái phép",
            "Thanh niên tụ tập đua xe trên đường {s} vào ban đêm, rú ga inh ỏi, rất nguy hiểm cho người đi đường.",
        ),
        (
            "Trộm cắp xe máy ở {p}",
            "Ở {p} liên tục xảy ra trộm cắp xe máy {t}, người dân rất lo lắng, đề nghị công an tăng cường tuần tra.",
        ),
        (
            "Cho vay nặng lãi, đòi nợ thuê",
            "Có nhóm người cho vay nặng lãi dán tờ rơi khắp {p}, đến nhà đòi nợ, đe dọa người dân.",
        ),
    ],
}
TOPIC_WEIGHTS = {
    "traffic_urban": 30,
    "environment": 22,
    "land": 16,
    "corruption_conduct": 6,
    "admin_procedures": 10,
    "health": 5,
    "education": 4,
    "social_welfare": 4,
    "security_order": 3,
}
KIND_OF = {"Tố cáo": "denunciation", "Góp ý": "opinion", "Khiếu nại": "complaint"}
STATUSES = [("received", 18), ("accepted", 12), ("in_progress", 15), ("resolved", 25), ("closed", 25), ("forwarded", 5)]
SLANG = [("không", "ko"), ("không", "k"), ("được", "dc"), ("người", "ng"), ("Ủy ban nhân dân", "UBND"), ("rồi", "r")]


def _fold(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _new_tones(text: str) -> str:
    for old, new in (("òa", "oà"), ("óa", "oá"), ("ỏa", "oả"), ("ủy", "uỷ"), ("ùy", "uỳ"), ("ỏe", "oẻ"), ("Ủy", "Uỷ")):
        text = text.replace(old, new)
    return text


def style(text: str, rng: random.Random) -> str:
    """Write ``text`` the way some citizen would."""
    roll = rng.random()
    if roll < 0.25:
        text = _fold(text)  # no diacritics at all
    elif roll < 0.35:
        text = unicodedata.normalize("NFD", text)  # some phones
    elif roll < 0.5:
        text = _new_tones(text)  # "hoà", "thuỷ"
    if rng.random() < 0.3:
        for full, short in rng.sample(SLANG, 2):
            text = text.replace(full, short).replace(_fold(full), short)
    return text


def _fill(template: str, rng: random.Random) -> str:
    n = rng.randint(1, 300)
    return template.format(s=rng.choice(STREETS), p=rng.choice(PLACES).format(n=n), t=rng.choice(TIMES), n=n)


def _pick_weighted(pairs: list[tuple[str, int]] | dict[str, int], rng: random.Random) -> str:
    items = list(pairs.items()) if isinstance(pairs, dict) else pairs
    return rng.choices([k for k, _ in items], weights=[w for _, w in items])[0]


# Residents of the 34 provinces (thousands, rounded; the 2023 figures of the provinces merged in 2025 added
# up). The bundled unit dataset has no population per commune: these only weigh where cases are filed.
PROVINCE_POPULATION = {
    "01": 8590, "04": 543, "08": 1700, "11": 640, "12": 482, "14": 1300, "15": 1610, "19": 1660, "20": 800,
    "22": 1380, "24": 3390, "25": 3580, "31": 4050, "33": 3170, "37": 3760, "38": 3760, "40": 3470, "42": 1330,
    "44": 1570, "46": 1160, "48": 2740, "51": 1830, "52": 3090, "56": 1860, "66": 2810, "68": 3250, "75": 4330,
    "79": 13400, "80": 2920, "82": 3390, "86": 3350, "91": 3640, "92": 3180, "96": 2110,
}  # fmt: skip
# Within a province an urban ward holds about twice the people of a rural commune (an estimate, see above).
KIND_WEIGHT = {"Phường": 2.0, "Xã": 1.0, "Đặc khu": 0.5}


def population_weights(communes: list[tuple[str, str, str]]) -> list[float]:
    """Pure: a weight per ``(province, commune, kind)``, proportional to its estimated population: the
    province's residents shared among its communes by kind (``KIND_WEIGHT``)."""
    shares: dict[str, float] = {}
    for province, _commune, kind in communes:
        shares[province] = shares.get(province, 0.0) + KIND_WEIGHT.get(kind, 1.0)
    return [
        PROVINCE_POPULATION.get(province, 1000) * KIND_WEIGHT.get(kind, 1.0) / shares[province]
        for province, _commune, kind in communes
    ]


def generate(
    n: int,
    *,
    seed: int = 0,
    communes: list[tuple[str, str]] | None = None,
    weights: list[float] | None = None,
    start: date = date(2024, 1, 1),
    days: int = 900,
) -> Iterator[dict[str, Any]]:
    """``n`` cases filed in ``communes`` (``(province, commune)``; drawn by ``weights`` when given)."""
    rng = random.Random(seed)
    places = communes or [("01", "00004")]
    cum_weights = list(itertools.accumulate(weights)) if weights else None
    for _ in range(n):
        topic = _pick_weighted(TOPIC_WEIGHTS, rng)
        title_t, content_t = rng.choice(TOPICS[topic])
        title, content = _fill(title_t, rng), _fill(content_t, rng)
        extra = " ".join(_fill(rng.choice(TOPICS[topic])[1], rng) for _ in range(rng.randint(0, 2)))
        content = f"{content} {extra} {rng.choice(ASKS)}".replace("  ", " ")
        kind = next((k for prefix, k in KIND_OF.items() if title.startswith(prefix)), None) or rng.choice(
            ["report"] * 6 + ["petition"] * 2 + ["complaint"]
        )
        # Where it happened, as the form's address field (most citizens fill it in): what tells one
        # pothole from another in the same commune, for the duplicate check as for a clerk.
        number = rng.randint(1, 300)
        address = (
            f"số {number} đường {rng.choice(STREETS)}, {rng.choice(PLACES).format(n=rng.randint(1, 300))}"
            if rng.random() < 0.8
            else ""
        )
        province, commune = rng.choices(places, cum_weights=cum_weights)[0] if cum_weights else rng.choice(places)
        yield {
            "kind": kind,
            "topic": topic,
            "title": style(title, rng)[:200],
            "content": style(content, rng),
            "address": address,
            "province_code": province,
            "commune_code": commune,
            "received_on": start + timedelta(days=rng.randrange(days)),
            "status": _pick_weighted(STATUSES, rng),
            "publish": rng.random() < 0.4,
        }


REWORD = [
    ("Ổ gà", "Hố sâu"),
    ("ổ gà", "hố ga"),
    ("Đèn đường", "Đèn chiếu sáng"),
    ("hỏng", "bị hư hỏng"),
    ("Rác thải", "Rác"),
    ("rất", "quá"),
    ("nhiều", "rất nhiều"),
    ("Đề nghị", "Kính đề nghị"),
    ("đã", ""),
]


def reworded(case: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The same matter in other words: words swapped, sentences dropped or shuffled, restyled; the same
    place (``address``, sometimes typed without diacritics)."""
    title, content = _fold(case["title"]) if rng.random() < 0.3 else case["title"], case["content"]
    for a, b in rng.sample(REWORD, 4):
        title, content = title.replace(a, b), content.replace(a, b)
    sentences = [s for s in content.split(". ") if s]
    rng.shuffle(sentences)
    content = ". ".join(sentences[: max(1, len(sentences) - 1)])
    address = case.get("address", "")
    if address and rng.random() < 0.3:
        address = _fold(address)  # typed again, without diacritics
    return {**case, "title": style(title, rng)[:200], "content": style(content, rng), "address": address}


def labelled(n: int, *, seed: int = 0) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for case in generate(n, seed=seed):
        texts.append(f"{case['title']}\n{case['content']}")
        labels.append(case["topic"])
    return texts, labels


QUERIES = [
    "dat dai",
    "o ga",
    "den duong hong",
    "ubnd phuong",
    "rac thai",
    "tiếng ồn karaoke",
    "Ban Bi thu",
    "hoa giai",
    "nuoc thai",
    "lan chiem via he",
    "hoc phi",
    "bao hiem y te",
    "ko co nuoc",
    "giay chung nhan quyen su dung dat",
    "Đội Cấn",
    "hoang hoa tham",
    "xây dựng trái phép",
    "thuy loi",
    "can bo dia chinh",
    "dua xe",
    "tro cap",
    "ngap nuoc",
    "cho vay nang lai",
    "thủ tục chứng thực",
    "boi thuong giai phong mat bang",
]


def _rows(job: tuple[int, int, int, list[tuple[str, str]], list[float]]) -> list[tuple[Any, ...]]:
    """One chunk of cases ready to insert (run in a worker process): the generated case, its tracking code
    and its search keys — computed by the real code (``new_tracking_code``, ``document_keys``)."""
    from pakn.core.tracking import new_tracking_code
    from pakn.language.search import document_keys

    start, size, seed, communes, weights = job
    out = []
    for c in generate(size, seed=seed + start, communes=communes, weights=weights):
        keys = document_keys(title=c["title"], content=c["content"], address=c["address"])
        out.append(
            (
                new_tracking_code(),
                c["kind"],
                c["title"],
                c["content"],
                c["province_code"],
                c["commune_code"],
                c["status"],
                c["received_on"],
                c["publish"],
                keys["title_key"],
                keys["body_key"],
                keys["title_toned"],
                keys["dup_key"],
                c["address"],
            )
        )
    return out


CASE_COLUMNS = [
    "id",
    "tracking_code",
    "kind",
    "complaint_round",
    "track",
    "title",
    "content",
    "topic_id",
    "province_id",
    "commune_id",
    "address",
    "subject",
    "unit_id",
    "status",
    "channel",
    "received_on",
    "accepted_on",
    "complexity",
    "remote_area",
    "extensions",
    "publish",
    "escalated",
    "citizen_id",
    "merged_into_id",
    "due_on",
    "created_at",
    "updated_at",
    "audit_head",
    "audit_count",
    "reference",
]
DOC_COLUMNS = ["case_id", "title_key", "body_key", "title_toned", "dup_key", "indexed_at", "scope_key"]
PG_GIN = (
    "CREATE INDEX language_csd_vector_gin ON language_casesearchdocument USING gin (search_vector)"  # migration 0002
)


def load(
    n: int,
    *,
    seed: int = 0,
    provinces: tuple[str, ...] | None = None,
    batch: int = 20_000,
    progress: Any = print,
    workers: int | None = None,
) -> int:
    """Bulk-load the database up to ``n`` generated cases with their search documents (bench only: it
    bypasses the services on purpose, to load a million cases in minutes). Cases are spread over every
    commune of ``provinces`` (default: all 34 provinces, 3,321 communes) by estimated population
    (``population_weights``), as a national deployment would receive them.

    The text, tracking codes and search keys come from the real pure functions (computed in worker
    processes); rows go in with one multi-row ``executemany`` transaction on SQLite (journal and fsync off
    while loading; the FTS5 index is filled by its own triggers) and with ``COPY`` on PostgreSQL (the GIN
    index of the generated ``tsvector`` is dropped during the load and rebuilt once)."""
    import multiprocessing
    import os
    import time

    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from pakn.cases.models import Case
    from pakn.language.search import scope_key
    from pakn.org.loader import load_units
    from pakn.org.models import Commune, Province, Unit

    wanted = tuple(provinces) if provinces else tuple(PROVINCE_POPULATION)
    if Province.objects.filter(code__in=wanted).count() < len(wanted):
        load_units(provinces=provinces)  # None: every province
    units = dict(Unit.objects.filter(code__startswith="UBND-", commune__isnull=False).values_list("commune_id", "pk"))
    unit_places = {pk: (p, c) for pk, p, c in Unit.objects.values_list("pk", "province_id", "commune_id")}
    places = sorted(
        (p, c, kind)
        for c, p, kind in Commune.objects.filter(province_id__in=wanted).values_list("code", "province_id", "kind")
        if c in units
    )
    communes = [(p, c) for p, c, _kind in places]
    weights = population_weights(places)
    have = Case.objects.count()
    todo = max(0, n - have)
    if not todo:
        return have
    next_id = (Case.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    jobs = [(have + s, min(batch, todo - s), seed, communes, weights) for s in range(0, todo, batch)]
    now = timezone.now()
    pg = connection.vendor == "postgresql"
    ops = connection.ops
    stamp = now if pg else ops.adapt_datetimefield_value(now)

    def day(d: date) -> Any:
        return d if pg else d.isoformat()

    def case_row(pk: int, r: tuple[Any, ...]) -> tuple[Any, ...]:
        code, kind, title, content, province, commune, status, received, publish = r[:9]
        statutory = kind in ("complaint", "denunciation")
        return (
            pk, code, kind, 1 if kind == "complaint" else None, "statutory" if statutory else "feedback",
            title, content, None, province, commune, r[13], "", units[commune], status, "web", day(received),
            None, "normal", False, 0, publish, False, None, None, day(received + timedelta(days=14)),
            stamp, stamp, "", 0, False,
        )  # fmt: skip

    def scope(pk: int, province: str, commune: str) -> str:  # the index's scope terms, by the real function
        unit = units[commune]
        return scope_key(
            case_id=pk,
            unit_id=unit,
            province_id=province,
            commune_id=commune,
            unit_province_id=unit_places[unit][0],
            unit_commune_id=unit_places[unit][1],
        )

    started = time.perf_counter()
    done = 0
    workers = workers or max(1, min(4, os.cpu_count() or 1))
    context = multiprocessing.get_context("fork")
    connection.ensure_connection()
    raw = connection.connection
    if pg:
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute("DROP INDEX IF EXISTS language_csd_vector_gin")
    else:
        connection.close()  # the journal mode cannot change inside a transaction: a fresh connection
        connection.ensure_connection()
        raw = connection.connection
        raw.execute("PRAGMA journal_mode=OFF")
        raw.execute("PRAGMA synchronous=OFF")
        raw.execute("PRAGMA cache_size=-500000")
    try:
        with context.Pool(workers) as pool, transaction.atomic():
            for chunk in pool.imap(_rows, jobs):
                ids = range(next_id + done, next_id + done + len(chunk))
                cases = [case_row(pk, r) for pk, r in zip(ids, chunk, strict=True)]
                docs = [(pk, *r[9:13], stamp, scope(pk, r[4], r[5])) for pk, r in zip(ids, chunk, strict=True)]
                if pg:
                    cursor = raw.cursor()
                    with cursor.copy(f"COPY cases_case ({', '.join(CASE_COLUMNS)}) FROM STDIN") as copy:
                        for row in cases:
                            copy.write_row(row)
                    with cursor.copy(f"COPY language_casesearchdocument ({', '.join(DOC_COLUMNS)}) FROM STDIN") as copy:
                        for row in docs:
                            copy.write_row(row)
                else:
                    marks = ", ".join("?" * len(CASE_COLUMNS))
                    raw.executemany(f"INSERT INTO cases_case ({', '.join(CASE_COLUMNS)}) VALUES ({marks})", cases)
                    marks = ", ".join("?" * len(DOC_COLUMNS))
                    raw.executemany(
                        f"INSERT INTO language_casesearchdocument ({', '.join(DOC_COLUMNS)}) VALUES ({marks})", docs
                    )
                done += len(chunk)
                if progress and (done % 100_000 < batch or done == todo):
                    rate = done / (time.perf_counter() - started)
                    progress(f"  loaded {have + done:,} cases ({rate:,.0f}/s)")
    finally:
        if pg:
            with connection.cursor() as cursor:
                cursor.execute(PG_GIN.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS"))
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('cases_case', 'id'), (SELECT max(id) FROM cases_case))"
                )
        else:
            connection.close()  # back to the settings' pragmas (WAL, synchronous=FULL) for the measures
    return have + done


def setup(database: str | None, *, n: int, name: str = "corpus", reuse: bool = False) -> str:
    """Point Django at the benchmark database (a SQLite file per size by default, or a PostgreSQL URL whose
    database is created when missing), migrate, and load ``n`` cases. Returns a label for the output.

    Without ``reuse`` the database is made afresh; with it, a database left by an earlier run (of any
    bench sharing it: search, duplicates) is kept and only topped up to ``n`` cases."""
    import os
    import sys
    from pathlib import Path
    from urllib.parse import urlparse

    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here.parent / "src"))
    import tempfile

    workdir = Path(os.environ.get("PAKN_BENCH_DIR", Path(tempfile.gettempdir()) / "pakn-bench"))
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ["PAKN_DATA_DIR"] = str(workdir)
    url = database or f"sqlite:///{workdir / f'{name}-{n}.sqlite3'}"
    if url.startswith("sqlite") and not reuse:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    if url.startswith("postgres"):
        import psycopg

        parts = urlparse(url)
        dbname = parts.path.lstrip("/")
        admin = psycopg.connect(
            host=parts.hostname,
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password,
            dbname="postgres",
            autocommit=True,
        )
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone()
        if exists and not reuse:
            admin.execute(f'DROP DATABASE "{dbname}"')
        if not exists or not reuse:
            admin.execute(f'CREATE DATABASE "{dbname}"')
        admin.close()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pakn.settings")
    import logging

    import django

    django.setup()
    logging.getLogger("pakn").setLevel(logging.WARNING)
    import time

    from django.core.management import call_command
    from django.db import connection

    from pakn.cases.models import Case

    call_command("migrate", verbosity=0)
    have = Case.objects.count()
    started = time.perf_counter()
    total = load(n)
    if connection.vendor == "postgresql":
        # After a load, VACUUM as autovacuum would on a live database: the visibility map lets the
        # duplicate check's query read its indexes only (migration language 0004).
        tables = "cases_case, language_casesearchdocument" if total > have else ""
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {tables}" if tables else "ANALYZE")
            if tables:
                cursor.execute("ANALYZE")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("INSERT INTO language_fts(language_fts) VALUES ('optimize')")
    if total > have:
        print(
            f"loaded {total - have:,} cases (+ search index, ANALYZE/VACUUM) in {time.perf_counter() - started:,.1f} s"
        )
    else:
        print(f"reused the database: {total:,} cases")
    return f"{connection.vendor} · {total:,} cases"


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000

    return {"p50": at(50), "p95": at(95), "p99": at(99), "mean": sum(ordered) / len(ordered) * 1000}
