"""The shipped keyword table: how a fresh install with no history suggests a topic and a kind
("gợi ý theo từ khóa"). Phrases are folded (``core.text.search_key``): no diacritics, slang expanded.
The topic codes are those of ``cases.defaults.TOPICS``; an administrator's own keywords
(``Topic.keywords``, one per line) are added to these at run time."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from types import MappingProxyType

from pakn.core.text import search_key

# topic code → phrases; a phrase of several words weighs more than a single word.
TOPIC_KEYWORDS: dict[str, tuple[str, ...]] = {
    "land": (
        "dat dai",
        "dat o",
        "dat nong nghiep",
        "so do",
        "so hong",
        "giay chung nhan quyen su dung dat",
        "quyen su dung dat",
        "giai phong mat bang",
        "thu hoi dat",
        "boi thuong",
        "tai dinh cu",
        "ho tro tai dinh cu",
        "tranh chap dat",
        "lan chiem dat",
        "lan dat",
        "ranh gioi",
        "cap so",
        "chuyen muc dich su dung dat",
        "quy hoach",
        "dia chinh",
        "thua dat",
        "nha o",
        "xay nha",
        "chung cu",
        "giay phep xay dung",
        "do dac",
        "dat cong",
        "dat rung",
        "ke khai dat",
        "phan lo ban nen",
        "du an treo",
    ),
    "environment": (
        "moi truong",
        "o nhiem",
        "rac thai",
        "rac",
        "bai rac",
        "nuoc thai",
        "xa thai",
        "khoi bui",
        "bui",
        "tieng on",
        "mui hoi",
        "boc mui",
        "hoi thoi",
        "ong khoi",
        "chat thai",
        "song ngoi",
        "kenh rach",
        "ca chet",
        "chat thai nguy hai",
        "dot rom",
        "dot rac",
        "khai thac cat",
        "cat tac",
        "pha rung",
        "cay xanh",
        "chat cay",
        "nuoc sinh hoat",
        "nuoc ngam",
        "thuoc tru sau",
        "lo mo",
        "trang trai lon",
        "nha may",
        "xuong san xuat",
    ),
    "traffic_urban": (
        "giao thong",
        "duong",
        "o ga",
        "ho ga",
        "mat duong",
        "via he",
        "lan chiem via he",
        "lan chiem long duong",
        "xay dung trai phep",
        "trat tu do thi",
        "den duong",
        "den chieu sang",
        "den tin hieu",
        "den giao thong",
        "cau",
        "cong thoat nuoc",
        "ngap",
        "ngap ung",
        "nap cong",
        "bien bao",
        "xe qua tai",
        "dau xe",
        "do xe",
        "tai nan",
        "un tac",
        "ket xe",
        "canh sat giao thong",
        "xe tai",
        "xe ben",
        "duong sat",
        "bai do xe",
        "quang cao",
        "bien quang cao",
        "day dien",
        "cot dien",
        "cay do",
        "xe rac",
        "vat lieu xay dung",
    ),
    "corruption_conduct": (
        "tham nhung",
        "hoi lo",
        "nhan hoi lo",
        "dua hoi lo",
        "nhung nhieu",
        "gay kho khan",
        "can bo",
        "cong chuc",
        "dang vien",
        "lam dung chuc vu",
        "lam dung quyen han",
        "tieu cuc",
        "lang phi",
        "tham o",
        "bien thu",
        "chay chot",
        "loi ich nhom",
        "thai do",
        "hach dich",
        "quan lieu",
        "vi pham dao duc",
        "loi song",
        "suy thoai",
        "tu dien bien",
        "tu chuyen hoa",
        "bao che",
        "chi phong bi",
        "phong bi",
        "tien boi duong",
        "nguoi dung dau",
        "chu tich",
        "bi thu",
        "ban bi thu",
        "uy ban kiem tra",
        "ke khai tai san",
    ),
    "admin_procedures": (
        "thu tuc",
        "thu tuc hanh chinh",
        "ho so",
        "mot cua",
        "mot cua lien thong",
        "cap giay",
        "chung thuc",
        "ho tich",
        "khai sinh",
        "khai tu",
        "ket hon",
        "ho khau",
        "cu tru",
        "tam tru",
        "can cuoc cong dan",
        "dinh danh",
        "vneid",
        "dich vu cong",
        "nop ho so",
        "tra ket qua",
        "tre hen",
        "qua han giai quyet",
        "giay phep kinh doanh",
        "dang ky kinh doanh",
        "con dau",
        "le phi",
        "phi",
        "bien nhan",
    ),
    "health": (
        "benh vien",
        "y te",
        "thuoc",
        "bao hiem y te",
        "tram y te",
        "bac si",
        "dieu duong",
        "kham benh",
        "chua benh",
        "cap cuu",
        "tiem chung",
        "vac xin",
        "dich benh",
        "sot xuat huyet",
        "an toan thuc pham",
        "ngo doc",
        "ngo doc thuc pham",
        "phong kham",
        "vien phi",
        "thai do phuc vu",
        "hieu thuoc",
    ),
    "education": (
        "truong hoc",
        "truong",
        "hoc phi",
        "giao vien",
        "co giao",
        "thay giao",
        "hoc sinh",
        "sinh vien",
        "day them",
        "hoc them",
        "lam them",
        "thu tien",
        "quy phu huynh",
        "ban dai dien cha me",
        "sach giao khoa",
        "diem thi",
        "tuyen sinh",
        "mam non",
        "tieu hoc",
        "trung hoc co so",
        "trung hoc pho thong",
        "bao luc hoc duong",
        "ky thi",
    ),
    "social_welfare": (
        "tro cap",
        "ho ngheo",
        "can ngheo",
        "nguoi co cong",
        "thuong binh",
        "liet si",
        "bao hiem xa hoi",
        "bao hiem that nghiep",
        "luong huu",
        "nguoi cao tuoi",
        "khuyet tat",
        "bao tro xa hoi",
        "ho tro",
        "tien ho tro",
        "cuu tro",
        "gao cuu tro",
        "chinh sach",
        "lao dong",
        "viec lam",
        "tien luong",
        "no luong",
        "nha tinh nghia",
        "tre em",
        "bao hanh gia dinh",
        "bao luc gia dinh",
    ),
    "security_order": (
        "an ninh",
        "trat tu",
        "trom cap",
        "trom",
        "cuop",
        "co bac",
        "danh bac",
        "ma tuy",
        "gay roi",
        "danh nhau",
        "hanh hung",
        "de doa",
        "cho vay nang lai",
        "tin dung den",
        "doi no",
        "lua dao",
        "karaoke",
        "hat karaoke",
        "tu tap",
        "dua xe",
        "dua xe trai phep",
        "phao",
        "vu khi",
        "mai dam",
        "cong an",
    ),
}

# kind → phrases that name it; a submission that says none of them is a report (phản ánh).
KIND_KEYWORDS: dict[str, tuple[str, ...]] = {
    "denunciation": (
        "to cao",
        "don to cao",
        "nguoi bi to cao",
        "hanh vi vi pham phap luat cua",
        "nhan hoi lo",
        "tham nhung",
        "tham o",
    ),
    "complaint": (
        "khieu nai",
        "don khieu nai",
        "quyet dinh hanh chinh",
        "hanh vi hanh chinh",
        "khieu nai lan",
        "khong dong y voi quyet dinh",
        "de nghi xem xet lai quyet dinh",
    ),
    "petition": ("kien nghi", "de nghi", "de xuat", "kinh de nghi", "xin de nghi", "mong co quan"),
    "opinion": ("gop y", "y kien dong gop", "du thao", "dong gop y kien", "lay y kien"),
}
DEFAULT_KIND = "report"
FALLBACK_TOPIC = "other"


def compile_table(table: Mapping[str, Iterable[str]]) -> Mapping[str, tuple[str, ...]]:
    """Phrases normalised exactly like indexed text, padded for whole-word matching. The same table gives the
    same (shared, read-only) result without normalising its phrases again: each routing suggestion asks."""
    return _compiled(tuple((label, tuple(phrases)) for label, phrases in table.items()))


@lru_cache(maxsize=16)
def _compiled(table: tuple[tuple[str, tuple[str, ...]], ...]) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType(
        {
            label: tuple(dict.fromkeys(f" {search_key(p)} " for p in phrases if search_key(p)))
            for label, phrases in table
        }
    )


def keyword_scores(title: str, content: str, table: Mapping[str, tuple[str, ...]]) -> dict[str, float]:
    """Pure: for each label, the weight of its phrases found in the text (title counts double;
    a phrase of n words weighs n)."""
    title_key = f" {search_key(title)} "
    body_key = f" {search_key(content)} "
    scores: dict[str, float] = {}
    for label, phrases in table.items():
        score = 0.0
        for phrase in phrases:
            words = phrase.count(" ") - 1
            if phrase in title_key:
                score += 2 * words
            if phrase in body_key:
                score += words
        if score:
            scores[label] = score
    return scores


def best(scores: Mapping[str, float], default: str) -> tuple[str, float]:
    """The best label and a confidence in [0, 1): its share of the evidence, damped when evidence is thin."""
    if not scores:
        return default, 0.0
    label = max(sorted(scores), key=lambda k: scores[k])
    total = sum(scores.values())
    share = scores[label] / total
    return label, round(share * (scores[label] / (scores[label] + 2.0)), 3)
