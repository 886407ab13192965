"""The router's classifier (pure parts): the fast TF-IDF gives scikit-learn's numbers, training is
deterministic, the model beats a trivial baseline and reads folded text; ``evaluate`` compares it with
the SVM baseline trained on the same data. Throughput is measured by bench/classify.py, not asserted."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from pakn.core.text import nfc, search_key
from pakn.language import classifier

TOPICS = {
    "traffic": [
        "Ổ gà lớn trên đường {w}, xe máy ngã nhiều lần",
        "Đèn đường hỏng ở ngõ {n}, buổi tối rất tối",
        "Vỉa hè đường {w} bị lấn chiếm bán hàng",
    ],
    "environment": [
        "Rác thải ở ngõ {n} không được thu gom, bốc mùi",
        "Xưởng gỗ đường {w} xả khói bụi cả ngày",
        "Nước thải chảy ra mương ở thôn {n}",
    ],
    "land": [
        "Tranh chấp ranh giới thửa đất với hộ bên cạnh ở thôn {n}",
        "Chậm cấp giấy chứng nhận quyền sử dụng đất",
        "Bồi thường giải phóng mặt bằng đường {w} quá thấp",
    ],
}
STREETS = ["Kim Mã", "Láng", "Đội Cấn", "Giải Phóng", "Lê Lợi", "Quang Trung"]


def _corpus(seed: int, n: int) -> tuple[list[str], list[str]]:
    rng = np.random.default_rng(seed)
    texts, labels = [], []
    for i in range(n):
        topic = list(TOPICS)[i % 3 if i % 5 else 0]  # traffic is the common label
        text = str(rng.choice(TOPICS[topic])).format(w=rng.choice(STREETS), n=int(rng.integers(1, 300)))
        if rng.random() < 0.4:
            text = search_key(text)  # written without diacritics
        texts.append(text)
        labels.append(topic)
    return texts, labels


# ---------------------------------------------------------------- features


def test_features_are_scikit_learns_word_and_char_wb_tfidf() -> None:
    texts = [classifier.featurise(t) for t in _corpus(1, 60)[0]]
    fast = classifier.SyllableTfidf(max_words=10**9, max_chars=10**9)
    mine = fast.fit_transform(texts[:40]), fast.transform(texts[40:])
    word = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=classifier.WORD_PATTERN)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5), sublinear_tf=True, min_df=2)
    theirs = [
        sp.hstack([word.fit_transform(texts[:40]), char.fit_transform(texts[:40])]).tocsr(),
        sp.hstack([word.transform(texts[40:]), char.transform(texts[40:])]).tocsr(),
    ]
    assert set(fast.words) == set(word.vocabulary_) and set(fast.chars) == set(char.vocabulary_)
    order = [word.vocabulary_[t] for t in sorted(fast.words)]
    order += [len(word.vocabulary_) + char.vocabulary_[t] for t in sorted(fast.chars)]
    for ours, reference in zip(mine, theirs, strict=True):
        assert ours.shape == reference.shape
        assert abs(ours - reference[:, order]).max() < 1e-12


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="aăâeêoôơuưiy đĐkKgG HÒÀÁẢÃẠỏớợ.,:)=] \t\n1", max_size=30), st.integers(1, 3))
def test_char_grams_are_char_wb(word: str, low: int) -> None:
    reference = TfidfVectorizer(analyzer="char_wb", ngram_range=(low, 5))
    for token in word.split():
        assert classifier.char_grams(token, low, 5) == reference._char_wb_ngrams(token)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="aăâeêoôơuưiy đĐkKoO Hòa hoà thuỷ ko dc UBND,.!?\t\n\u0301\u0323", max_size=40))
def test_featurise_is_the_typed_text_and_its_search_key(text: str) -> None:
    typed = nfc(text).lower()
    assert classifier.featurise(text) == f"{typed} \x01 {search_key(typed)}"


def test_unseen_words_and_empty_texts() -> None:
    model = classifier.TextClassifier().fit(*_corpus(2, 60))
    assert set(model.predict(["", "xyz qwerty 12345", "\x01"])) <= set(model.labels)
    assert model.predict(["ổ gà trên đường", "o ga tren duong"]) == ["traffic", "traffic"]


# ---------------------------------------------------------------- the model


def test_beats_a_trivial_baseline_on_a_fixture() -> None:
    train, test = _corpus(3, 240), _corpus(4, 120)
    predicted = classifier.TextClassifier().fit(*train).predict(test[0])
    majority = max(set(train[1]), key=train[1].count)
    trivial = classifier.scores(test[1], [majority] * len(test[1]))
    ours = classifier.scores(test[1], predicted)
    assert ours["macro_f1"] >= 0.95 > trivial["macro_f1"]


def test_reads_text_without_diacritics_and_teencode() -> None:
    model = classifier.TextClassifier().fit(*_corpus(5, 240))
    assert model.predict(["Rac thai ko dc thu gom, boc mui", "tranh chap ranh gioi thua dat"]) == [
        "environment",
        "land",
    ]


def test_training_is_deterministic() -> None:
    texts, labels = _corpus(6, 150)
    probe = _corpus(7, 30)[0]
    first, second = classifier.TextClassifier().fit(texts, labels), classifier.TextClassifier().fit(texts, labels)
    assert first.pipeline.features.words == second.pipeline.features.words
    assert first.pipeline.features.chars == second.pipeline.features.chars
    assert np.array_equal(first.pipeline.predict_proba(probe), second.pipeline.predict_proba(probe))


def test_round_trip_keeps_predictions_and_not_the_word_cache() -> None:
    texts, labels = _corpus(8, 150)
    model = classifier.TextClassifier().fit(texts, labels)
    probe = _corpus(9, 30)[0]
    before = model.predict_with_confidence(probe)
    assert model.pipeline.features._cache  # filled by use …
    again = classifier.TextClassifier.loads(model.dumps())
    assert again.pipeline.features._cache == {}  # … not stored
    assert again.predict_with_confidence(probe) == before
    assert again.labels == ["environment", "land", "traffic"]


def test_needs_two_labels() -> None:
    with pytest.raises(ValueError):
        classifier.TextClassifier().fit(["a", "b"], ["x", "x"])


# ---------------------------------------------------------------- the comparison


def test_evaluate_trains_model_and_svm_baseline_on_the_same_data() -> None:
    train, test = _corpus(10, 200), _corpus(11, 80)
    result = classifier.evaluate(*train, *test, with_predictions=True)
    assert (result["train_docs"], result["test_docs"]) == (200, 80)
    assert "linear SVM" in result["baseline"]["name"] and "logistic regression" in result["model"]["name"]
    for name in ("model", "baseline"):
        r = result[name]
        assert 0 <= r["macro_f1"] <= 1 and r["docs_per_second"] > 0 and r["docs_per_second_wall"] > 0
        assert len(r["predicted"]) == 80 and r["train_seconds"] >= 0
    assert "predicted" not in classifier.evaluate(*train, *test)["model"]


def test_baseline_gives_a_confidence_too() -> None:
    texts, labels = _corpus(12, 90)
    two = [(t, label) for t, label in zip(texts, labels, strict=True) if label != "land"]
    baseline = classifier.TextClassifier(baseline=True).fit([t for t, _ in two], [label for _, label in two])
    prediction = baseline.predict_with_confidence(["Rác thải bốc mùi"])[0]
    assert prediction.label == "environment" and 0.5 < prediction.confidence <= 1
