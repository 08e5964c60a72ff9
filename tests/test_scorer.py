"""The compiled score tables compute what the trained pipeline computes, and need nothing else."""
import random
import subprocess
import sys

import numpy as np
import pytest

import framing
from framing.scorer import CharBlock, LinearScorer, VectorBlock, WordBlock


@pytest.fixture(scope="module")
def classifier():
    return framing.Classifier()


@pytest.fixture(scope="module")
def fresh(corpus_records):
    """A model trained here on 600 paragraphs: (fitted pipeline, its tables)."""
    from framing.compile import compile_pipeline
    from framing.train import fit

    sample = random.Random(3).sample(corpus_records, 600)
    pipeline, temperature, _ = fit([r.text for r in sample], [r.label for r in sample], folds=2,
                                   grid={"classifier__C": [3.0]})
    return pipeline, compile_pipeline(pipeline, temperature)


def test_bundled_model_is_word_character_and_word_vector_tables(classifier):
    scorer = classifier._scorer
    assert isinstance(scorer, LinearScorer)
    assert [type(b) for b in scorer.blocks] == [WordBlock, CharBlock, VectorBlock]
    assert scorer.blocks[0].index.tokenizer.__name__ == "word_tokens_lexicon"
    assert len(scorer.blocks[2].words) > 100_000  # words no training paragraph holds get a score too
    assert scorer.temperature > 0 and scorer.temperature != 1.0  # calibrated


_NO_TRAINING_LIBRARIES = """
import builtins, pickle, sys
real_import = builtins.__import__
def guarded(name, *args, **kwargs):
    if name.split(".")[0] in ("sklearn", "scipy", "joblib", "threadpoolctl"):
        raise ImportError("not installed here: " + name)
    return real_import(name, *args, **kwargs)
builtins.__import__ = guarded
def no_unpickling(*args, **kwargs):
    raise AssertionError("something was unpickled")
pickle.load = pickle.loads = no_unpickling
pickle.Unpickler = no_unpickling
import framing
p = framing.classify("Une avancée remarquable pour les patients.")
a = framing.classify_article("Un progrès.\\n\\nUn risque pour la vie privée.")
e = framing.explain("Une menace pour la vie privée.", top=3)
print(p.label in framing.LABELS, len(a), len(e.terms))
"""


def test_classify_article_and_explain_need_neither_scikit_learn_nor_unpickling():
    out = subprocess.run([sys.executable, "-c", _NO_TRAINING_LIBRARIES], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["True", "2", "3"]


def test_tables_round_trip_through_npz(classifier, tmp_path):
    path = tmp_path / "t.npz"
    with open(path, "wb") as f:
        classifier._scorer.save(f)
    again = LinearScorer.load(path)
    texts = ["Une avancée remarquable.", "Un risque majeur pour la vie privée."]
    assert np.array_equal(again.predict_proba(texts), classifier._scorer.predict_proba(texts))
    assert again.fingerprint() == classifier._scorer.fingerprint()


def _texts(corpus_records):
    return [r.text for r in corpus_records[::7]] + ["x", "😀", "12 000", "Mais non !", "a " * 3000]


def test_tables_compute_the_linear_model_of_a_freshly_trained_pipeline(fresh, corpus_records):
    pipeline, tables = fresh
    texts = _texts(corpus_records)
    features, model = pipeline[:-1], pipeline[-1]
    # The linear model in float64: features × weights + biases, over the temperature.
    exact = (features.transform(texts).astype(np.float64) @ model.coef_.T + model.intercept_) / tables.temperature
    # to 1e-6, relative to the logit's size (scikit-learn's features are float32)
    assert (np.abs(tables.decision_function(texts) - exact) / np.maximum(1.0, np.abs(exact))).max() < 1e-6
    # scikit-learn itself sums the float32 features in float32: the same up to that rounding.
    from framing.train import softmax

    proba = softmax(pipeline.decision_function(texts) / tables.temperature)
    assert np.abs(tables.predict_proba(texts) - proba).max() < 1e-4
    assert np.array_equal(tables.predict_proba(texts).argmax(axis=1), proba.argmax(axis=1))


def test_contributions_add_up_to_the_logits(fresh):
    _, tables = fresh
    for text in ["Une menace. Une menace réelle, une menace grave.", "L'IA n'est pas un danger, mais un outil."]:
        names, values = tables.contributions(text)
        assert len(names) == len(set(names))  # each term once
        total = values.sum(axis=0) + tables.intercept / tables.temperature
        assert np.abs(total - tables.decision_function([text])[0]).max() < 1e-9


def _length(docs):
    return np.array([[len(d) / 100.0] for d in docs])


def test_a_branch_that_is_not_per_term_cannot_be_compiled(corpus_records):
    from sklearn.preprocessing import FunctionTransformer

    from framing.compile import compile_pipeline
    from framing.train import build_pipeline

    sample = random.Random(0).sample(corpus_records, 60)
    pipeline = build_pipeline(C=1.0, min_df=1)
    pipeline.named_steps["features"].transformer_list.append(("length", FunctionTransformer(_length)))
    pipeline.fit([r.text for r in sample], [r.label for r in sample])
    with pytest.raises(ValueError, match="'length' \\(FunctionTransformer\\) cannot be compiled"):
        compile_pipeline(pipeline)


def test_vectorizers_follow_scikit_learn_conventions(corpus_records):
    from sklearn.base import clone

    from framing.features import make_features
    from framing.normalize import normalize_text
    from framing.vectorizers import CharNgramVectorizer, WordNgramVectorizer

    docs = [normalize_text(r.text) for r in corpus_records[:200]]
    for vec in (WordNgramVectorizer(min_df=2), CharNgramVectorizer(ngram_range=(3, 4), min_df=3)):
        copy = clone(vec)
        assert copy.get_params() == vec.get_params() and not hasattr(copy, "idf_")  # no logic in __init__
        fitted = clone(vec).fit(docs)
        assert not hasattr(vec, "idf_")  # fit works on the clone only
        x = fitted.transform(docs[:5])
        assert x.shape == (5, len(fitted.get_feature_names_out()))
        assert (abs(clone(vec).fit_transform(docs)[:5] - x)).max() < 1e-6
        # rows are unit length over occurrences (a repeated term is one entry per occurrence)
        lengths = [np.sqrt(np.sum(x.data[a:b].astype(np.float64) ** 2))
                   for a, b in zip(x.indptr, x.indptr[1:]) if b > a]
        assert lengths and np.allclose(lengths, 1.0, atol=1e-5)
    # parameters act: 3-grams only when asked, unigrams only when asked
    threes = CharNgramVectorizer(ngram_range=(3, 3), min_df=1).fit(docs).get_feature_names_out()
    assert {len(n) for n in threes} == {3}
    unigrams = WordNgramVectorizer(ngram_range=(1, 1), min_df=1).fit(docs).get_feature_names_out()
    assert not any(" " in n for n in unigrams)
    names = make_features(min_df=2).fit(docs).get_feature_names_out()
    assert any(n.startswith("words__") for n in names) and any(n.startswith("chars__") for n in names)
