"""Feature pipeline: scikit-learn transformers that turn French paragraphs into vectors.

Every class and function named here can be referred to by a saved model, so
they are part of the model format: module-level, named and stable.
"""
from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import FeatureUnion, Pipeline

from .normalize import normalize_text, word_tokens, word_tokens_concession, word_tokens_lexicon
from .vectorizers import CharNgramVectorizer, WordNgramVectorizer

__all__ = ["FrenchNormalizer", "make_features"]


class _StatelessTextTransformer(TransformerMixin, BaseEstimator):
    """Tells scikit-learn that a transformer takes a 1-d list of str and learns nothing."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        return tags


class FrenchNormalizer(_StatelessTextTransformer):
    """Stateless transformer: raw paragraphs -> normalised paragraphs.

    See :func:`framing.normalize.normalize_text` for the steps. The output is a
    list of strings, ready for the vectorizers that follow.
    """

    def fit(self, X, y=None):
        """Nothing to learn; records the number of inputs for scikit-learn's checks."""
        self.n_features_in_ = 1
        return self

    def transform(self, X):
        """Normalise every paragraph of ``X``.

        Parameters
        ----------
        X : iterable of str

        Returns
        -------
        list of str
        """
        return [normalize_text(text) for text in X]

    def get_feature_names_out(self, input_features=None):
        """One text column in, one text column out."""
        return np.asarray(["text"], dtype=object)



def make_features(*, word_ngrams=(1, 2), char_ngrams=(3, 5), min_df=2, concession=True, lexicon=True) -> Pipeline:
    """Build the (unfitted) feature pipeline: normalisation, then word and character n-grams.

    Parameters
    ----------
    word_ngrams : tuple of int
        n-gram range of the word features (negation-marked content words).
    char_ngrams : tuple of int or None
        n-gram range of the character features (inside word boundaries);
        ``None`` leaves them out.
    min_df : int
        Minimum number of training paragraphs a feature must appear in.
    concession : bool
        Mark the words of the clause after « mais », « cependant »... apart.
    lexicon : bool
        Add a mark for every word or expression of the stance lexicon (:mod:`framing.lexicon`);
        implies ``concession``.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Steps ``normalize`` and ``features`` (a FeatureUnion of ``words`` and ``chars``).
    """
    tokenizer = word_tokens_lexicon if lexicon else word_tokens_concession if concession else word_tokens
    branches = [
        ("words", WordNgramVectorizer(tokenizer=tokenizer, ngram_range=tuple(word_ngrams), min_df=min_df)),
    ]
    if char_ngrams is not None:
        branches.append(("chars", CharNgramVectorizer(ngram_range=tuple(char_ngrams), min_df=min_df)))
    return Pipeline([("normalize", FrenchNormalizer()), ("features", FeatureUnion(branches))])
