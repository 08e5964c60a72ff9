"""The vectorised character n-grams must give scikit-learn's char_wb matrix exactly."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from framing.fastchar import CharTfidfVectorizer
from framing.normalize import normalize_text

TRAIN = [normalize_text(t) for t in [
    "L'IA générative bouleverse les rédactions.",
    "Une menace pour l'emploi, selon les syndicats.",
    "Le modèle a été entraîné sur 12 000 images.",
    "a b c de fgh ijkl",
    "Les robots désherbeurs arrivent dans les vignes.",
]]


@pytest.fixture(scope="module")
def pair():
    kw = dict(ngram_range=(3, 5), min_df=1, sublinear_tf=True, dtype=np.float32)
    fast = CharTfidfVectorizer(**kw).fit(TRAIN)
    ref = TfidfVectorizer(analyzer="char_wb", lowercase=False, **kw).fit(TRAIN)
    return fast, ref


def _same(a, b):
    a, b = a.tocsr(), b.tocsr()
    return (a.shape == b.shape and np.array_equal(a.indptr, b.indptr)
            and np.array_equal(a.indices, b.indices) and np.array_equal(a.data, b.data))


def test_vocabulary_and_known_batch_are_identical(pair):
    fast, ref = pair
    assert fast.vocabulary_ == ref.vocabulary_
    docs = TRAIN + ["", "x", "les les les", "rien de connu ici zzz"]
    assert _same(fast.transform(docs), ref.transform(docs))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=80), min_size=1, max_size=6))
def test_any_normalised_batch_is_identical(pair, texts):
    fast, ref = pair
    docs = [normalize_text(t) for t in texts]
    assert _same(fast.transform(docs), ref.transform(docs))


def test_raw_text_falls_back_to_scikit_learn(pair):
    fast, ref = pair
    docs = ["Texte  brut\tavec des accents é", "  espaces "]
    assert _same(fast.transform(docs), ref.transform(docs))


def test_pickled_vectorizer_rebuilds_its_table(pair):
    import pickle

    fast, ref = pair
    fast.transform(TRAIN)
    clone = pickle.loads(pickle.dumps(fast))
    assert "_table" not in clone.__dict__
    assert _same(clone.transform(TRAIN), ref.transform(TRAIN))
