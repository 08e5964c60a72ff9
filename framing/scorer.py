"""A trained model compiled to per-term score tables: fast to run, safe to load.

For the pipeline framing trains (normalise -> word and character n-grams ->
logistic regression), a paragraph's logits are sums over its terms: every term
occurrence adds its idf-weighted coefficients, and each branch is divided by
its length ``sqrt(sum idf**2)``. With a table of ``coef * idf`` and ``idf**2``
per term, prediction needs no sparse matrix, no scikit-learn and no unpickling:
the tables are a plain ``.npz`` file, loaded with ``allow_pickle=False``.
The result equals the pipeline's ``predict_proba`` up to rounding (tested).
"""
from __future__ import annotations

import numpy as np

from .ngrams import CharIndex, WordIndex, split_words
from .normalize import TOKENIZERS, normalize_text

__all__ = ["LinearScorer", "SCORER_FORMAT"]

SCORER_FORMAT = "framing-scorer-1"


def _segment_sums(values: np.ndarray, segment_of: np.ndarray, n_segments: int) -> np.ndarray:
    """Column-wise sums of ``values`` (n x k) grouped by ``segment_of``."""
    return np.stack([np.bincount(segment_of, weights=values[:, k], minlength=n_segments)
                     for k in range(values.shape[1])], axis=1)


def _branch(sums: np.ndarray) -> np.ndarray:
    """Summed rows (coefficients..., idf²) -> the branch's logits, divided by the paragraph's length."""
    norms = np.sqrt(sums[:, -1])
    norms[norms == 0] = 1.0
    return sums[:, :-1] / norms[:, None]


class LinearScorer:
    """Per-term score tables of a trained framing pipeline.

    Build one with :meth:`from_pipeline` (training) or :meth:`load` (prediction).
    """

    def __init__(self, classes, intercept, words: WordIndex, word_table, chars: CharIndex, char_table):
        self.classes_ = np.asarray(classes)
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.words, self.word_table = words, np.asarray(word_table, dtype=np.float64)
        self.chars, self.char_table = chars, np.asarray(char_table, dtype=np.float64)

    @classmethod
    def from_pipeline(cls, pipeline):
        """Compile a fitted pipeline, or return None when it is not of the shape framing trains."""
        from sklearn.linear_model import LogisticRegression

        from .features import FrenchNormalizer
        from .vectorizers import CharNgramVectorizer, WordNgramVectorizer

        steps = [step for _, step in pipeline.steps]
        if len(steps) != 3 or not isinstance(steps[0], FrenchNormalizer):
            return None
        union, model = steps[1], steps[2]
        if not isinstance(model, LogisticRegression) or model.coef_.shape[0] < 3:
            return None
        branches = [t for _, t in union.transformer_list if t not in ("drop", None)]
        if len(branches) != 2 or union.transformer_weights:
            return None
        words, chars = branches
        if not (isinstance(words, WordNgramVectorizer) and isinstance(chars, CharNgramVectorizer)):
            return None
        if getattr(words.tokenizer, "__name__", None) not in TOKENIZERS:
            return None
        n_words = len(words.idf_)
        coef = model.coef_.astype(np.float64)
        word_table = np.column_stack([(coef[:, :n_words] * words.idf_).T, words.idf_.astype(np.float64) ** 2])
        char_table = np.column_stack([(coef[:, n_words:] * chars.idf_).T, chars.idf_.astype(np.float64) ** 2])
        return cls(model.classes_, model.intercept_, words._lookup(), word_table, chars._lookup(), char_table)

    def save(self, f) -> None:
        """Write the tables as an uncompressed ``.npz`` to a binary file object."""
        terms = np.empty(len(self.words.vocabulary), dtype=object)
        for term, col in self.words.vocabulary.items():
            terms[col] = term
        np.savez(
            f,
            format=np.array(SCORER_FORMAT),
            classes=np.array([str(c) for c in self.classes_]),
            intercept=self.intercept,
            tokenizer=np.array(self.words.tokenizer.__name__),
            word_terms=np.array(terms.tolist(), dtype=str) if len(terms) else np.array([], dtype="<U1"),
            word_bigrams=np.array(self.words.bigrams),
            word_table=self.word_table,
            char_range=np.array(self.chars.ngram_range, dtype=np.int64),
            char_codes=self.chars.codes,
            char_table=self.char_table,
        )

    @classmethod
    def load(cls, path) -> "LinearScorer":
        """Read tables written by :meth:`save`; no pickle is involved.

        Raises
        ------
        ValueError
            When the file is not a framing scorer of this format.
        """
        with np.load(path, allow_pickle=False) as z:
            data = {k: z[k] for k in z.files}
        if str(data.get("format")) != SCORER_FORMAT:
            raise ValueError(f"not a {SCORER_FORMAT} file")
        tokenizer = TOKENIZERS.get(str(data["tokenizer"]))
        if tokenizer is None:
            raise ValueError(f"unknown tokenizer {str(data['tokenizer'])!r}")
        vocabulary = {t: i for i, t in enumerate(data["word_terms"].tolist())}
        words = WordIndex(vocabulary, tokenizer, bool(data["word_bigrams"]))
        chars = CharIndex(data["char_codes"], tuple(int(v) for v in data["char_range"]))
        return cls(data["classes"].tolist(), data["intercept"], words, data["word_table"], chars,
                   data["char_table"])

    def decision_function(self, texts: list[str]) -> np.ndarray:
        """Logits of each class (in ``classes_`` order) for raw paragraphs."""
        docs = [normalize_text(t) for t in texts]
        n = len(docs)
        cols, counts = self.words.occurrences(docs)
        word_part = _branch(_segment_sums(self.word_table[cols], np.repeat(np.arange(n), counts), n))
        # Characters: each distinct word of the batch is scored once, then words are added up.
        words, ids, per_doc = split_words(docs)
        indptr, word_cols = self.chars.columns_of_words(words)
        segment = np.repeat(np.arange(len(words)), np.diff(indptr))
        per_word = _segment_sums(self.char_table[word_cols], segment, len(words))
        char_part = _branch(_segment_sums(per_word[ids], np.repeat(np.arange(n), per_doc), n))
        return word_part + char_part + self.intercept

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Softmax of :meth:`decision_function`, as multinomial logistic regression computes it."""
        z = self.decision_function(texts)
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        return z / z.sum(axis=1, keepdims=True)
