"""Text classifier for routing (kind, topic) and for any ``text,label`` data, plus its baseline.

The model: word 1–2-grams and character 1–5-grams (within word boundaries) TF-IDF over the text written
twice, once as typed (NFC, lower case) and once as the folded, slang-expanded key, so "ko", "không" and
"khong" meet; a class-balanced logistic regression, so a rare label is not drowned by the common ones
(macro-F1), with real probabilities for the confidence shown to clerks.
The baseline, trained on the same data in the same run: word TF-IDF + logistic regression, defaults.

Everything is local (scikit-learn); nothing is downloaded. Pure where possible: ``load_labelled`` reads a
file, ``evaluate`` returns plain numbers; the database side is in ``services``."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pakn.core.text import nfc, search_key

TEXT_COLUMNS = ("text", "free_text", "content", "comment", "sentence", "title", "document")
LABEL_COLUMNS = ("label", "label_id", "labels", "category", "topic", "class", "kind")
WORD_PATTERN = r"(?u)\b\w+\b"  # one-letter words count in Vietnamese ("ở", "k")
MODEL_NAME = "word1-2+char1-5 tf-idf (typed + folded) · class-balanced logistic regression"
BASELINE_NAME = "word tf-idf · logistic regression"


def featurise(text: str) -> str:
    """Pure: what the model reads."""
    typed = nfc(text or "").lower()
    return f"{typed} \x01 {search_key(typed)}"


def _model() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=WORD_PATTERN, max_features=200_000),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5), sublinear_tf=True, min_df=2, max_features=300_000),
    )
    return make_pipeline(features, LogisticRegression(C=5.0, max_iter=2000, class_weight="balanced"))


def _baseline() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(TfidfVectorizer(), LogisticRegression(max_iter=1000))


@dataclass
class Prediction:
    label: str
    confidence: float  # in [0, 1]


class TextClassifier:
    """``fit`` / ``predict`` over plain strings and string labels; ``dumps`` / ``loads`` to bytes."""

    def __init__(self, *, baseline: bool = False):
        self.baseline = baseline
        self.pipeline: Any = _baseline() if baseline else _model()
        self.labels: list[str] = []

    def _prepare(self, texts: Sequence[str]) -> list[str]:
        return [nfc(t or "") for t in texts] if self.baseline else [featurise(t) for t in texts]

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> TextClassifier:
        distinct = sorted(set(labels))
        if len(distinct) < 2:
            raise ValueError("need at least two different labels to train")
        self.pipeline.fit(self._prepare(texts), list(labels))
        self.labels = [str(c) for c in self.pipeline.classes_]
        return self

    def predict(self, texts: Sequence[str]) -> list[str]:
        return [str(p) for p in self.pipeline.predict(self._prepare(texts))]

    def predict_with_confidence(self, texts: Sequence[str]) -> list[Prediction]:
        """Label and its probability."""
        rows = self.pipeline.predict_proba(self._prepare(texts))
        out: list[Prediction] = []
        for row in rows:
            top = max(range(len(row)), key=lambda i: row[i])
            out.append(Prediction(self.labels[top], round(float(row[top]), 3)))
        return out

    def dumps(self) -> bytes:
        import joblib

        buffer = io.BytesIO()
        joblib.dump({"baseline": self.baseline, "pipeline": self.pipeline, "labels": self.labels}, buffer, compress=3)
        return buffer.getvalue()

    @classmethod
    def loads(cls, blob: bytes) -> TextClassifier:
        """Only for blobs this program wrote (``RouterModel`` rows): unpickling runs code."""
        import joblib

        data = joblib.load(io.BytesIO(bytes(blob)))  # noqa: S301 - our own artefact, checked by sha256
        model = cls.__new__(cls)
        model.baseline, model.pipeline, model.labels = data["baseline"], data["pipeline"], data["labels"]
        return model


# ---------------------------------------------------------------- data


def _pick(columns: Sequence[str], wanted: Sequence[str], fallback: int) -> str:
    lowered = {c.strip().lower(): c for c in columns}
    for name in wanted:
        if name in lowered:
            return lowered[name]
    return columns[fallback]


def load_labelled(path: str | Path) -> tuple[list[str], list[str]]:
    """``text,label`` rows from a CSV (header required; ``free_text,label_id`` and similar names are
    recognised, else the first column is the text and the last the label) or a JSONL file."""
    path = Path(path)
    texts: list[str] = []
    labels: list[str] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
            for line in handle:
                if not line.strip():
                    continue
                row = json.loads(line)
                text_key = _pick(list(row), TEXT_COLUMNS, 0)
                label_key = _pick(list(row), LABEL_COLUMNS, -1)
                texts.append(str(row[text_key] or ""))
                labels.append(str(row[label_key]))
        else:
            reader = csv.DictReader(handle)
            if not reader.fieldnames or len(reader.fieldnames) < 2:
                raise ValueError(f"{path}: need a header with a text and a label column")
            text_key = _pick(reader.fieldnames, TEXT_COLUMNS, 0)
            label_key = _pick(reader.fieldnames, LABEL_COLUMNS, -1)
            for row in reader:
                if row.get(label_key) in (None, ""):
                    continue
                texts.append(row.get(text_key) or "")
                labels.append(str(row[label_key]).strip())
    if not texts:
        raise ValueError(f"{path}: no labelled rows")
    return texts, labels


# ---------------------------------------------------------------- evaluation


def scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, float]:
    """Pure: accuracy and macro-F1 (over the labels present in gold or predicted)."""
    labels = sorted(set(gold) | set(predicted))
    correct = sum(g == p for g, p in zip(gold, predicted, strict=True))
    f1s = []
    for label in labels:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return {
        "accuracy": round(correct / len(gold), 4) if gold else 0.0,
        "macro_f1": round(sum(f1s) / len(f1s), 4) if f1s else 0.0,
    }


def measure(model: TextClassifier, texts: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    started = time.perf_counter()
    predicted = model.predict(texts)
    elapsed = max(time.perf_counter() - started, 1e-9)
    return {**scores(labels, predicted), "docs_per_second": round(len(texts) / elapsed, 1)}


def evaluate(
    train_texts: Sequence[str], train_labels: Sequence[str], test_texts: Sequence[str], test_labels: Sequence[str]
) -> dict[str, Any]:
    """Train the model and the baseline on the same data; score both on the same test set."""
    result: dict[str, Any] = {}
    for name, baseline in (("model", False), ("baseline", True)):
        started = time.perf_counter()
        classifier = TextClassifier(baseline=baseline).fit(train_texts, train_labels)
        fit_seconds = time.perf_counter() - started
        result[name] = {
            **measure(classifier, test_texts, test_labels),
            "train_seconds": round(fit_seconds, 2),
            "name": BASELINE_NAME if baseline else MODEL_NAME,
        }
    result["train_docs"], result["test_docs"] = len(train_texts), len(test_texts)
    return result


# ---------------------------------------------------------------- the router (reads the database)

_loaded: dict[str, tuple[str, TextClassifier]] = {}
MODEL_MIN_CONFIDENCE = 0.35  # below this the keyword table is asked too


@dataclass
class RouteSuggestion:
    kind: str
    kind_confidence: float
    topic_code: str
    confidence: float
    unit_code: str
    source: str  # "model" | "keywords"
    model_version: str = ""

    def as_fields(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "kind_confidence": self.kind_confidence,
            "topic_code": self.topic_code,
            "confidence": self.confidence,
            "unit_code": self.unit_code,
            "source": self.source,
            "model_version": self.model_version,
        }


def active_model(target: str) -> tuple[str, TextClassifier] | None:
    """The newest active trained model for ``target`` (cached per process, reloaded when retrained)."""
    from pakn.language.models import RouterModel

    row = RouterModel.objects.filter(target=target, active=True).values_list("version", flat=True).first()
    if row is None:
        return None
    cached = _loaded.get(target)
    if cached and cached[0] == row:
        return cached
    blob = RouterModel.objects.filter(version=row).values_list("blob", flat=True).first()
    if blob is None or hashlib.sha256(bytes(blob)).hexdigest() != row:
        return None
    _loaded[target] = (row, TextClassifier.loads(bytes(blob)))
    return _loaded[target]


def topic_table() -> dict[str, tuple[str, ...]]:
    """The shipped keyword table merged with the administrators' ``Topic.keywords``."""
    from pakn.cases.models import Topic
    from pakn.language.keywords import TOPIC_KEYWORDS, compile_table

    merged: dict[str, list[str]] = {}
    known: dict[str, str] = dict(Topic.objects.values_list("code", "keywords"))
    for code, phrases in TOPIC_KEYWORDS.items():
        if code in known:
            merged.setdefault(code, []).extend(phrases)
    for code, lines in known.items():
        merged.setdefault(code, []).extend(w for w in (lines or "").splitlines() if w.strip())
    return compile_table(merged)


def suggest(*, title: str, content: str, province_code: str | None, commune_code: str | None) -> RouteSuggestion:
    """Kind, topic and competent unit for a submission: from the trained models when the deployment has
    them, else from the keyword table ("gợi ý theo từ khóa"); the unit from the routing rules for the
    place, kind and topic."""
    from pakn.cases.models import Topic
    from pakn.language.keywords import DEFAULT_KIND, FALLBACK_TOPIC, KIND_KEYWORDS, best, compile_table, keyword_scores

    text = f"{title}\n{content}"
    source, version = "keywords", ""
    topic_code, confidence = best(keyword_scores(title, content, topic_table()), FALLBACK_TOPIC)
    kind, kind_confidence = best(keyword_scores(title, content, compile_table(KIND_KEYWORDS)), DEFAULT_KIND)
    known_topics = set(Topic.objects.values_list("code", flat=True))
    topic_model = active_model("topic")
    if topic_model:
        prediction = topic_model[1].predict_with_confidence([text])[0]
        if prediction.label in known_topics and (prediction.confidence >= MODEL_MIN_CONFIDENCE or not confidence):
            topic_code, confidence, source, version = prediction.label, prediction.confidence, "model", topic_model[0]
    kind_model = active_model("kind")
    if kind_model:
        prediction = kind_model[1].predict_with_confidence([text])[0]
        if prediction.confidence >= MODEL_MIN_CONFIDENCE:
            kind, kind_confidence = prediction.label, prediction.confidence
            source, version = "model", version or kind_model[0]
    if topic_code not in known_topics:
        topic_code = FALLBACK_TOPIC if FALLBACK_TOPIC in known_topics else ""
    unit_code = ""
    if province_code:
        from pakn.cases.services import route
        from pakn.core.errors import PaknError

        try:
            unit_code = route(
                province_code=province_code, commune_code=commune_code, kind=kind, topic_code=topic_code or None
            ).code
        except PaknError:
            unit_code = ""
    return RouteSuggestion(kind, kind_confidence, topic_code, confidence, unit_code, source, version)
