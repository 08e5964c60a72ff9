"""Tf-idf vectorizers for words and characters, shaped for fast prediction.

Both give every occurrence of a known term its idf weight and scale each
paragraph to unit length over occurrences (``sqrt(sum idf**2)``), so that a
row is built without grouping equal terms: a column may appear several times
in a sparse row, which a linear model sums like a count. This is also what
lets :mod:`framing.scorer` compile a trained model into per-term tables.
"""
from __future__ import annotations

from collections import Counter

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

from .ngrams import CharIndex, WordIndex, char_ngram_codes, decode_char_code
from .normalize import word_tokens_concession

__all__ = ["CharNgramVectorizer", "WordNgramVectorizer", "occurrences_to_csr"]


_MARKS = ("zlexpos", "zlexneg")  # lexicon marks (see framing.normalize.mark_concession_lexicon)


def _smooth_idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    # The same smoothing as scikit-learn's TfidfTransformer.
    return (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)


def occurrences_to_csr(cols: np.ndarray, counts: np.ndarray, idf: np.ndarray, n_features: int):
    """CSR rows from occurrence lists (row after row): values idf, each row scaled to unit length."""
    indptr = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    data = idf[cols]
    row_of = np.repeat(np.arange(len(counts)), counts)
    norms = np.sqrt(np.bincount(row_of, weights=data * data, minlength=len(counts))).astype(np.float32)
    norms[norms == 0] = 1.0
    data /= norms[row_of]
    return sp.csr_matrix((data, cols.astype(np.int32), indptr), shape=(len(counts), n_features))


class _DerivedIndex:
    """The lookup index is rebuilt from the learned attributes, never pickled."""

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_index", None)
        return state

    def _lookup(self):
        index = self.__dict__.get("_index")
        if index is None:
            index = self._index = self._make_index()  # a race builds it twice: harmless
        return index


class CharNgramVectorizer(_DerivedIndex, TransformerMixin, BaseEstimator):
    """Character n-grams inside word boundaries, idf-weighted, for normalised ASCII text.

    Parameters
    ----------
    ngram_range : tuple of int
        Shortest and longest n-gram (2 to 7 characters).
    min_df : int
        Keep n-grams found in at least this many training paragraphs.

    Attributes
    ----------
    codes_ : ndarray of int64
        The vocabulary, as packed n-gram codes (see :mod:`framing.ngrams`), sorted;
        a column is a position here.
    idf_ : ndarray of float32
    """

    def __init__(self, ngram_range=(3, 5), min_df=2):
        self.ngram_range = ngram_range
        self.min_df = min_df

    def fit(self, X, y=None):
        """Learn the n-grams found in at least ``min_df`` paragraphs, and their idf."""
        docs = list(X)
        lo, hi = self.ngram_range
        if not 2 <= lo <= hi <= 7:
            raise ValueError(f"ngram_range must lie within 2..7, got {self.ngram_range}")
        words, per_doc = [], []
        for doc in docs:
            split = doc.split()
            words.extend(split)
            per_doc.append(len(split))
        doc_of_word = np.repeat(np.arange(len(docs)), per_doc)
        df = Counter()
        for word_of, code in char_ngram_codes(words, lo, hi):
            doc_of = doc_of_word[word_of]
            # document frequency: one count per distinct (n-gram, paragraph) pair
            order = np.lexsort((doc_of, code))
            code, doc_of = code[order], doc_of[order]
            first = np.ones(len(code), dtype=bool)
            first[1:] = (code[1:] != code[:-1]) | (doc_of[1:] != doc_of[:-1])
            values, counts = np.unique(code[first], return_counts=True)
            df.update(dict(zip(values.tolist(), counts.tolist())))
        codes = np.array(sorted(c for c, k in df.items() if k >= self.min_df), dtype=np.int64)
        self.codes_ = codes
        self.idf_ = _smooth_idf(np.array([df[c] for c in codes.tolist()], dtype=np.float64), len(docs))
        self.n_features_in_ = 1
        self.__dict__.pop("_index", None)
        return self

    def _make_index(self):
        return CharIndex(self.codes_, self.ngram_range)

    def transform(self, X):
        """Sparse idf-weighted, length-normalised n-gram rows of ``X``.

        The n-grams of a paragraph are those of its words, so each distinct word
        of the batch is analysed once and its columns are copied where it occurs.
        """
        cols, counts = self._lookup().occurrences(X)
        return occurrences_to_csr(cols, counts, self.idf_, len(self.codes_))

    def get_feature_names_out(self, input_features=None):
        """The n-grams themselves, padding spaces included (e.g. ``" ia "``)."""
        return np.asarray([decode_char_code(c) for c in self.codes_.tolist()], dtype=object)


class WordNgramVectorizer(_DerivedIndex, TransformerMixin, BaseEstimator):
    """Word unigrams and bigrams of a tokenizer's output, idf-weighted and length-normalised.

    Parameters
    ----------
    tokenizer : callable
        Normalised text -> list of words; module-level, since a saved model refers to it.
    ngram_range : tuple of int
        (1, 1) or (1, 2).
    min_df : int
        Keep terms found in at least this many training paragraphs.

    Attributes
    ----------
    vocabulary_ : dict
        Term -> column; bigrams are written ``"w1 w2"``.
    idf_ : ndarray of float32
    """

    def __init__(self, tokenizer=word_tokens_concession, ngram_range=(1, 2), min_df=2):
        self.tokenizer = tokenizer
        self.ngram_range = ngram_range
        self.min_df = min_df

    def fit(self, X, y=None):
        """Learn the terms found in at least ``min_df`` paragraphs, and their idf."""
        if tuple(self.ngram_range) not in ((1, 1), (1, 2)):
            raise ValueError(f"ngram_range must be (1, 1) or (1, 2), got {self.ngram_range}")
        bigrams = self.ngram_range[1] == 2
        df = Counter()
        docs = list(X)
        for doc in docs:
            toks = self.tokenizer(doc)
            terms = set(toks)
            if bigrams:
                # Lexicon marks follow the words: a pair across that seam is no phrase.
                terms.update(f"{a} {b}" for a, b in zip(toks, toks[1:])
                             if not (a.endswith(_MARKS) or b.endswith(_MARKS)))
            df.update(terms)
        terms = sorted(t for t, k in df.items() if k >= self.min_df)
        self.vocabulary_ = {t: i for i, t in enumerate(terms)}
        self.idf_ = _smooth_idf(np.array([df[t] for t in terms], dtype=np.float64), len(docs))
        self.n_features_in_ = 1
        self.__dict__.pop("_index", None)
        return self

    def _make_index(self):
        return WordIndex(self.vocabulary_, self.tokenizer, bigrams=self.ngram_range[1] == 2)

    def transform(self, X):
        """Sparse idf-weighted, length-normalised term rows of ``X``."""
        cols, counts = self._lookup().occurrences(X)
        return occurrences_to_csr(cols, counts, self.idf_, len(self.vocabulary_))

    def get_feature_names_out(self, input_features=None):
        names = np.empty(len(self.vocabulary_), dtype=object)
        for term, col in self.vocabulary_.items():
            names[col] = term
        return names
