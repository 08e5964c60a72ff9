import copy
import math
import multiprocessing
import pickle
import threading

import numpy as np
import pytest

import framing
from framing.prediction import article_label, split_paragraphs

TEXTS = [
    "L'algorithme repère les tumeurs plus tôt que les radiologues, une avancée qui sauvera des vies.",
    "Ce déploiement massif de caméras « intelligentes » ouvre la voie à une surveillance généralisée.",
    "Le groupe a annoncé mardi l'ouverture d'un centre de recherche à Grenoble, avec 40 ingénieurs.",
    "Faut-il avoir peur de l'IA ?",
]


def test_labels_order_every_score_vector():
    clf = framing.Classifier()
    proba = clf.predict_proba(TEXTS)
    for row, p in zip(proba, clf.classify(TEXTS)):
        assert list(p.scores) == list(framing.LABELS)
        assert row.tolist() == [p.scores[label] for label in framing.LABELS]
        assert p.label == framing.LABELS[int(row.argmax())]
    assert sorted(clf._scorer.classes_.tolist()) == sorted(framing.LABELS)


def test_single_prediction_is_a_valid_immutable_object():
    text = "  L’IA n’est pas une menace pour l’emploi, conclut l’étude.  "
    p = framing.classify(text)
    assert isinstance(p, framing.Prediction)
    assert p.text == text  # the user's text, not the normalised one
    assert p.label in framing.LABELS
    assert set(p.scores) == set(framing.LABELS)
    assert math.isclose(sum(p.scores.values()), 1.0, abs_tol=1e-9)
    assert all(0.0 <= s <= 1.0 for s in p.scores.values())
    assert p.confidence == max(p.scores.values()) == p.scores[p.label]
    with pytest.raises(AttributeError):
        p.label = "neutral"
    with pytest.raises(TypeError):
        p.scores["neutral"] = 1.0
    assert repr(p).startswith(f"Prediction({p.label!r}, optimistic=")


def test_batch_equals_one_by_one_in_order_and_is_deterministic():
    batch = framing.classify(TEXTS)
    assert [p.text for p in batch] == TEXTS
    singles = [framing.classify(t) for t in TEXTS]
    for b, s in zip(batch, singles):
        assert b.label == s.label
        for label in framing.LABELS:
            assert b.scores[label] == pytest.approx(s.scores[label], abs=1e-12)
    again = framing.classify(TEXTS)
    assert [p.scores for p in again] == [p.scores for p in batch]


@pytest.mark.parametrize("make", [tuple, iter, lambda t: np.array(t, dtype=object), lambda t: np.array(t)])
def test_any_iterable_of_str_is_a_batch(make):
    assert [p.label for p in framing.classify(make(TEXTS))] == [p.label for p in framing.classify(TEXTS)]


def test_empty_batch_gives_empty_list():
    assert framing.classify([]) == []


@pytest.mark.parametrize("bad", [None, 42, 3.5, b"texte", bytearray(b"x"), {"text": "x"}, object()])
def test_non_text_is_a_type_error_naming_the_type(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        framing.classify(bad)


def test_non_str_item_in_batch_names_its_index():
    with pytest.raises(TypeError, match="item 2"):
        framing.classify(["un texte", "un autre", None])
    with pytest.raises(TypeError, match="item 1"):
        framing.classify(["un texte", ["nested"]])


@pytest.mark.parametrize("empty", ["", "   ", "\n\t "])
def test_empty_text_is_a_value_error(empty):
    with pytest.raises(ValueError, match="empty"):
        framing.classify(empty)
    with pytest.raises(ValueError, match="item 1"):
        framing.classify(["du texte", empty])


def test_very_long_text_is_answered():
    p = framing.classify("L'intelligence artificielle progresse. " * 300_000)  # about 12 MB
    assert p.label in framing.LABELS


def test_results_can_be_pickled_copied_hashed_and_compared():
    p = framing.classify(TEXTS[1], min_confidence=0.99)
    for other in (pickle.loads(pickle.dumps(p)), copy.deepcopy(p), copy.copy(p)):
        assert other == p and hash(other) == hash(p)
        assert other.scores == p.scores and other.uncertain == p.uncertain and other.text == p.text
    assert len({p, copy.deepcopy(p), framing.classify(TEXTS[0])}) == 2
    assert p != framing.classify(TEXTS[1])  # uncertain differs
    assert p.scores == dict(p.scores)  # equals a plain dict of the same items
    with pytest.raises((AttributeError, TypeError)):
        p.scores._values = (1.0, 0.0, 0.0)
    article = framing.classify_article("\n\n".join(TEXTS))
    assert pickle.loads(pickle.dumps(article)) == article and hash(copy.deepcopy(article)) == hash(article)
    e = framing.explain(TEXTS[1], top=3)
    assert pickle.loads(pickle.dumps(e)) == e and hash(e) == hash(copy.deepcopy(e))


@pytest.mark.slow
def test_classify_works_in_a_multiprocessing_pool():
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        results = pool.map(framing.classify, TEXTS)
    assert results == framing.classify(TEXTS)


def test_paragraphs_are_read_up_to_20000_characters():
    from framing.classifier import MAX_CHARS

    assert MAX_CHARS == 20_000
    head = "Le groupe a annoncé mardi l'ouverture d'un centre de recherche à Grenoble. "
    head = (head * (MAX_CHARS // len(head) + 1))[:MAX_CHARS]
    tail = " Une surveillance de masse, une menace terrible, un danger inquiétant." * 500
    assert framing.classify(head + tail).scores == framing.classify(head).scores  # the tail is not read
    inside = head[:-len(tail[:3000])] + tail[:3000]
    assert framing.classify(inside).scores != framing.classify(head).scores  # what is inside counts
    e = framing.explain(head + tail, top=50)
    assert not any("surveillance" in term for term, _ in e.terms)


def test_explain_lists_each_term_once_and_adds_up():
    text = "Une menace. Une menace réelle, une menace grave."
    e = framing.explain(text, top=1000)
    terms = [t for t, _ in e.terms]
    assert terms.count("menace") == 1 and len(terms) == len(set(terms))
    # all terms together: the centred logits, less the centred biases
    clf = framing.Classifier()
    z = clf._scorer.decision_function([text])[0][clf._order]
    bias = (clf._scorer.intercept / clf._scorer.temperature)[clf._order]
    expected = (z - z.mean()) - (bias - bias.mean())
    total = np.sum([[c[label] for label in framing.LABELS] for _, c in e.terms], axis=0)
    assert np.abs(total - expected).max() < 1e-9


@pytest.mark.parametrize("bad", [["a", "b"], None, 42, b"texte"])
def test_explain_refuses_what_is_not_one_text(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        framing.explain(bad)
    with pytest.raises(ValueError, match="empty"):
        framing.explain("   ")


def test_predict_proba_is_validated_like_classify():
    clf = framing.Classifier()
    assert clf.predict_proba("abc").shape == (1, 3)
    assert np.array_equal(clf.predict_proba("abc"), clf.predict_proba(["abc"]))
    assert clf.predict_proba([]).shape == (0, 3)
    with pytest.raises(ValueError, match="item 1"):
        clf.predict_proba(["un texte", ""])
    with pytest.raises(TypeError, match="item 0"):
        clf.predict_proba([None])
    with pytest.raises(TypeError, match="bytes"):
        clf.predict_proba(b"abc")


def test_explain_gives_readable_terms_with_contributions():
    text = "Ce n'est pas une menace, c'est une formidable opportunité pour les hôpitaux."
    e = framing.explain(text, top=5)
    assert e.prediction == framing.classify(text)
    assert 1 <= len(e.terms) <= 5
    for term, contrib in e.terms:
        assert isinstance(term, str) and term and "__" not in term
        assert set(contrib) == set(framing.LABELS)
    label = e.prediction.label
    strengths = [contrib[label] for _, contrib in e.terms]
    assert strengths == sorted(strengths, reverse=True)
    assert "¬menace" in [term for term, _ in framing.explain(text, top=50).terms]
    with pytest.raises(ValueError):
        framing.explain(text, top=0)


def test_split_paragraphs_blank_lines_first_then_line_breaks():
    assert split_paragraphs("Titre\n\n Premier.\nsuite \r\n\r\n\n Second. ") == ["Titre", "Premier.\nsuite", "Second."]
    assert split_paragraphs("Un\nDeux\r\n\nTrois".replace("\r\n\n", "\n")) == ["Un", "Deux", "Trois"]
    assert split_paragraphs(" \n \n") == []


def test_article_label_rule():
    assert article_label([]) == "neutral"
    assert article_label(["neutral"] * 5 + ["critical"] * 2) == "critical"
    assert article_label(["neutral"] * 7 + ["critical"] * 2) == "neutral"  # under a quarter
    assert article_label(["critical", "optimistic", "neutral"]) == "neutral"  # tie
    assert article_label(["optimistic"] * 3 + ["critical"] * 2) == "optimistic"


def test_classify_article_batches_paragraphs_and_shares_sum_to_one():
    article = "\n\n".join(TEXTS)
    result = framing.classify_article(article)
    assert [p.text for p in result.paragraphs] == TEXTS
    assert [p.label for p in result.paragraphs] == [p.label for p in framing.classify(TEXTS)]
    assert math.isclose(sum(result.shares.values()), 1.0)
    assert result.label == article_label([p.label for p in result.paragraphs])
    with pytest.raises(ValueError):
        framing.classify_article("  ")
    with pytest.raises(TypeError):
        framing.classify_article(None)


def test_cold_start_from_many_threads_loads_once(monkeypatch):
    import framing.classifier as classifier_module

    calls = []
    real = classifier_module.read_metadata

    def counting(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(classifier_module, "read_metadata", counting)
    monkeypatch.setattr(classifier_module, "_default", None)
    expected = [p.scores for p in framing.Classifier().classify(TEXTS)]
    calls.clear()
    barrier = threading.Barrier(8)
    results, errors = [None] * 8, []

    def work(i):
        try:
            barrier.wait()
            results[i] = [p.scores for p in framing.classify(TEXTS)]
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(calls) == 1
    assert all(r == expected for r in results)


def test_min_confidence_marks_without_changing_labels():
    plain = framing.classify(TEXTS)
    marked = framing.classify(TEXTS, min_confidence=0.8)
    assert [p.label for p in marked] == [p.label for p in plain]
    assert [p.uncertain for p in marked] == [p.confidence < 0.8 for p in plain]
    assert not any(p.uncertain for p in plain)
    assert not framing.classify(TEXTS[0], min_confidence=0.0).uncertain
    for bad in (-0.1, 1.5, "0.5", True):
        with pytest.raises(ValueError, match="min_confidence"):
            framing.classify(TEXTS[0], min_confidence=bad)


def test_n_jobs_gives_the_same_predictions():
    many = TEXTS * 2000  # enough to be split over processes
    assert framing.classify(many, n_jobs=2) == framing.classify(many)
    with pytest.raises(ValueError, match="n_jobs"):
        framing.classify(TEXTS, n_jobs=0)
