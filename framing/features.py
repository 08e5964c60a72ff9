"""Feature pipeline: scikit-learn transformers that turn French paragraphs into vectors.

Every class and function named here can be referred to by a saved model, so
they are part of the model format: module-level, named and stable.
"""
from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.pipeline import FeatureUnion, Pipeline

from .lexicon import cue_class
from .normalize import NEGATION_TRIGGERS, SENTENCE_END, normalize_text, tokenize, word_tokens, word_tokens_concession
from .vectorizers import CharNgramVectorizer, WordNgramVectorizer

__all__ = ["FrenchNormalizer", "StanceCues", "make_features", "CUE_FEATURES"]


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



_CLAUSE_END = frozenset(".,;:!?()\"[]")

# What StanceCues counts, in column order. « negated » cues sit in a negation
# scope; « after_but » ones in the sentence after a concession marker (mais,
# cependant...); « last_sentence » ones close a paragraph of several sentences,
# where French puts its verdict.
CUE_FEATURES = (
    "benefit", "risk", "benefit_negated", "risk_negated", "benefit_after_but", "risk_after_but",
    "benefit_last_sentence", "risk_last_sentence",
    "reporting", "hedge", "concession", "question", "exclamation", "quote", "first_person",
)
_INDEX = {name: i for i, name in enumerate(CUE_FEATURES)}
_FIRST_PERSON = frozenset("je me moi nous perso franchement".split())


def cue_counts(text: str) -> list[float]:
    """Counts of :data:`CUE_FEATURES` in one normalised paragraph."""
    counts = [0.0] * len(CUE_FEATURES)
    tokens = tokenize(text)
    last_sentence_start = 0
    for i, tok in enumerate(tokens[:-1]):
        if tok in SENTENCE_END:
            last_sentence_start = i + 1
    negated = after_but = False
    for i, tok in enumerate(tokens):
        if tok in _CLAUSE_END:
            negated = False
            if tok in SENTENCE_END:
                after_but = False
            if tok == "?":
                counts[_INDEX["question"]] += 1
            elif tok == "!":
                counts[_INDEX["exclamation"]] += 1
            elif tok == '"':
                counts[_INDEX["quote"]] += 0.5
            continue
        if tok in NEGATION_TRIGGERS:
            negated = True
            continue
        if tok in _FIRST_PERSON:
            counts[_INDEX["first_person"]] += 1
        group = cue_class(tok)
        if group is None:
            continue
        if group == "concession":
            counts[_INDEX["concession"]] += 1
            after_but = True
        elif group in ("benefit", "risk"):
            if negated:
                counts[_INDEX[group + "_negated"]] += 1
            else:
                counts[_INDEX[group]] += 1
                if after_but:
                    counts[_INDEX[group + "_after_but"]] += 1
                if 0 < last_sentence_start <= i:
                    counts[_INDEX[group + "_last_sentence"]] += 1
        else:
            counts[_INDEX[group]] += 1
    return counts


class StanceCues(_StatelessTextTransformer):
    """Stateless transformer: normalised paragraphs -> counts of stance cues (log-scaled).

    The cues generalise beyond the phrasings of the training data: words of
    benefit and risk from :mod:`framing.lexicon`, with negation flipping them
    and the clause after a concession marker counted apart.

    Parameters
    ----------
    scale : float
        Multiplies the log-counts, to weigh them against the n-gram features.
    """

    def __init__(self, scale=1.0):
        self.scale = scale

    def fit(self, X, y=None):
        """Nothing to learn."""
        self.n_features_in_ = 1
        return self

    def transform(self, X):
        """Cue counts of every paragraph, ``log1p``-scaled, as a dense float32 array."""
        counts = np.array([cue_counts(text) for text in X], dtype=np.float32).reshape(-1, len(CUE_FEATURES))
        return np.log1p(counts) * np.float32(self.scale)

    def get_feature_names_out(self, input_features=None):
        """Names such as ``benefit_negated``."""
        return np.asarray(CUE_FEATURES, dtype=object)



def make_features(*, word_ngrams=(1, 2), char_ngrams=(3, 5), min_df=2, cues=None, concession=True) -> Pipeline:
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
    cues : float or None
        Scale of the stance-cue features (:class:`StanceCues`); ``None`` leaves them out.

    Returns
    -------
    sklearn.pipeline.Pipeline
        Steps ``normalize`` and ``features`` (a FeatureUnion of ``words``, ``chars`` and ``cues``).
    """
    branches = [
        ("words", WordNgramVectorizer(tokenizer=word_tokens_concession if concession else word_tokens,
                                      ngram_range=tuple(word_ngrams), min_df=min_df)),
    ]
    if char_ngrams is not None:
        branches.append(("chars", CharNgramVectorizer(ngram_range=tuple(char_ngrams), min_df=min_df)))
    if cues is not None:
        branches.append(("cues", StanceCues(scale=cues)))
    return Pipeline([("normalize", FrenchNormalizer()), ("features", FeatureUnion(branches))])
