"""Feature pipeline: scikit-learn transformers that turn French paragraphs into vectors.

Every class and function named here can be referred to by a saved model, so
they are part of the model format: module-level, named and stable.
"""
from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

from .normalize import normalize_text, word_tokens

__all__ = ["FrenchNormalizer", "make_features"]


class FrenchNormalizer(TransformerMixin, BaseEstimator):
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

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        return tags


def make_features(*, word_ngrams=(1, 2), char_ngrams=(3, 5), min_df=2) -> Pipeline:
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

    Returns
    -------
    sklearn.pipeline.Pipeline
        Steps ``normalize`` and ``features`` (a FeatureUnion of ``words`` and ``chars``).
    """
    branches = [
        (
            "words",
            TfidfVectorizer(
                tokenizer=word_tokens,
                token_pattern=None,
                lowercase=False,
                ngram_range=tuple(word_ngrams),
                min_df=min_df,
                sublinear_tf=True,
                dtype=np.float32,
            ),
        )
    ]
    if char_ngrams is not None:
        branches.append(
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    lowercase=False,
                    ngram_range=tuple(char_ngrams),
                    min_df=min_df,
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
            )
        )
    return Pipeline([("normalize", FrenchNormalizer()), ("features", FeatureUnion(branches))])
