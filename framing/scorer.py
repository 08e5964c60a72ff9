"""The model as framing runs it: per-term score tables, biases and a temperature.

A paragraph is normalised once, then each *block* of terms (word n-grams,
character n-grams, ...) adds up the score rows of the terms it finds, divided
by the paragraph's length in that block; the logits are the blocks' sums plus
the biases, divided by the temperature, and the probabilities their softmax.
That is exactly what the trained linear pipeline computes (tested to 1e-6),
without scikit-learn, sparse matrices or unpickling: the tables are a plain
``.npz`` file, read with ``allow_pickle=False``. The same tables explain a
prediction: a term's contribution is its score row times its count, divided
by the block's length, over the temperature.

Training compiles a fitted pipeline into these tables (:mod:`framing.compile`).
A new kind of term block is a :class:`TermBlock` subclass registered in
:data:`BLOCK_KINDS`, with its compiler in :mod:`framing.compile`.
"""
from __future__ import annotations

import hashlib
import json

import numpy as np

from .ngrams import CharIndex, WordIndex, char_ngram_codes, decode_char_code, split_words
from .normalize import CONCESSION_PREFIX, NEGATION_PREFIX, TOKENIZERS, normalize_text, vector_terms

__all__ = ["LinearScorer", "TermBlock", "WordBlock", "CharBlock", "VectorBlock", "BLOCK_KINDS", "TABLES_FORMAT",
           "NORMS", "PROBE_TEXTS"]

# Written into every .npz; a file of another format is refused (see framing.model).
TABLES_FORMAT = "framing-tables-3"

# How a block divides its summed scores by the paragraph's length, from the
# summed last column of its table (idf² for tf-idf, 1 per occurrence for a mean).
NORMS = {
    "l2": np.sqrt,           # tf-idf rows scaled to unit length
    "mean": lambda w: w,     # an average over the block's terms
    "none": np.ones_like,    # plain sums
}

# Text the fingerprint of a model's text processing is computed on: what a change of
# normalisation or tokenisation would change (accents, signs, elisions, numbers,
# negation, concession, ways of naming AI, page furniture). Common characters only,
# so that the fingerprint does not depend on unidecode's table for rare ones.
PROBE_TEXTS = (
    "L’IA n’est pas une menace pour l’emploi, conclut l’étude publiée jeudi.",
    "« C’est une révolution », s’enthousiasme la directrice ; pourtant rien n’est réglé.",
    "Certes, l'outil fait gagner du temps, mais il invente des références.",
    "L'intelligence artificielle (I.A.) générative, ChatGPT et les LLM : 12 000 postes, 3,5 % de hausse, 40 €.",
    "Cependant, il y a toujours un coût humain. Toutefois, sans garantie, ni contrôle...",
    "Lire aussi : Publié le 12/03/2024 à 08h15, mis à jour à 10h. Abonnez-vous !",
    "Œuvre, naïveté, ÇA, Éthique – jusqu’ici, lorsqu’il s’en sert, puisqu’on d’abord ?",
    "Les algorithmes d’apprentissage automatique n’ont jamais été aussi performants !",
)


def _segment_sums(values: np.ndarray, segment_of: np.ndarray, n_segments: int) -> np.ndarray:
    """Column-wise sums of ``values`` (n x k) grouped by ``segment_of``."""
    return np.stack([np.bincount(segment_of, weights=values[:, k], minlength=n_segments)
                     for k in range(values.shape[1])], axis=1)


class TermBlock:
    """One block of terms: a lookup from normalised text to term columns, and a score table.

    Parameters
    ----------
    name : str
        The block's name (the FeatureUnion branch it was compiled from).
    table : ndarray, shape (n_terms, n_classes + 1)
        Per term, its score for each class (weight × term value), then its
        weight in the paragraph's length (see :data:`NORMS`).
    norm : str
        A key of :data:`NORMS`.
    """

    kind = ""

    def __init__(self, name: str, table, norm: str = "l2"):
        if norm not in NORMS:
            raise ValueError(f"unknown norm {norm!r}; expected one of {sorted(NORMS)}")
        self.name, self.norm = name, norm
        self.table = np.asarray(table, dtype=np.float64)

    def occurrences(self, docs: list[str], cache: dict | None = None):
        """Columns of every known term occurrence, paragraph after paragraph, and counts per paragraph.

        ``cache`` is shared by the blocks of one prediction: what one block computed from the
        paragraphs (their tokens) another one reuses.
        """
        raise NotImplementedError

    def _divide(self, sums: np.ndarray) -> np.ndarray:
        """Summed rows (scores..., length weight) -> the block's logits."""
        norms = NORMS[self.norm](sums[:, -1])
        norms[norms == 0] = 1.0
        return sums[:, :-1] / norms[:, None]

    def logits(self, docs: list[str], cache: dict | None = None) -> np.ndarray:
        """This block's part of the logits of normalised paragraphs, shape (n, n_classes)."""
        cols, counts = self.occurrences(docs, cache)
        n = len(docs)
        return self._divide(_segment_sums(self.table[cols], np.repeat(np.arange(n), counts), n))

    def contributions(self, doc: str):
        """Each distinct term of one normalised paragraph and its part of the logits.

        Returns
        -------
        (cols, values)
            Term columns (sorted) and an array (len(cols), n_classes); the rows
            add up to :meth:`logits` of the paragraph.
        """
        cols, _ = self.occurrences([doc])
        unique, counts = np.unique(cols, return_counts=True)
        total = self.table[cols].sum(axis=0)
        norm = NORMS[self.norm](np.array([total[-1]]))[0] or 1.0
        return unique, self.table[unique, :-1] * counts[:, None] / norm

    def term_name(self, col: int) -> str:
        """A term as a person reads it."""
        raise NotImplementedError

    def analysis(self, docs: list[str]) -> list:
        """What this block reads in normalised paragraphs (for the model's text fingerprint)."""
        raise NotImplementedError

    def to_arrays(self) -> dict:
        """Plain arrays (no object dtype) that :meth:`from_arrays` reads back."""
        return {"kind": np.array(self.kind), "norm": np.array(self.norm), "table": self.table}

    @classmethod
    def from_arrays(cls, name: str, arrays: dict) -> "TermBlock":
        raise NotImplementedError


def _ascii_buffer(terms) -> np.ndarray:
    """Terms (normalised text is ASCII) as one newline-separated byte buffer: numpy would store
    an array of str at 4 bytes a character, padded to the longest term."""
    return np.frombuffer("\n".join(terms).encode("ascii"), dtype=np.uint8) if terms else np.zeros(0, np.uint8)


def _from_ascii_buffer(buffer: np.ndarray) -> list:
    if buffer.dtype != np.uint8:
        raise ValueError("term list is not an ASCII byte buffer")
    return buffer.tobytes().decode("ascii").split("\n") if buffer.size else []


def _tokenizer_of(name: str, arrays: dict):
    """The word tokenizer a block's arrays name, from :data:`framing.normalize.TOKENIZERS`."""
    tokenizer = TOKENIZERS.get(str(arrays["tokenizer"]))
    if tokenizer is None:
        raise ValueError(f"block {name!r}: unknown tokenizer {str(arrays['tokenizer'])!r}")
    return tokenizer


def _tokens(tokenizer, docs, cache):
    """The tokenizer's output for each paragraph, computed once per prediction (kept in ``cache``)."""
    if cache is None:
        return [tokenizer(doc) for doc in docs]
    key = ("tokens", tokenizer.__name__)
    if key not in cache:
        cache[key] = [tokenizer(doc) for doc in docs]
    return cache[key]


def _readable_word_term(term: str) -> str:
    """``neg_menace`` -> ``¬menace``, ``but_neg_x`` -> ``but_¬x``, word by word."""
    words = []
    for w in term.split(" "):
        head = CONCESSION_PREFIX if w.startswith(CONCESSION_PREFIX) else ""
        w = w[len(head):]
        words.append(head + ("¬" + w[len(NEGATION_PREFIX):] if w.startswith(NEGATION_PREFIX) else w))
    return " ".join(words)


class WordBlock(TermBlock):
    """Word unigrams (and bigrams ``"w1 w2"``) from a tokenizer of :data:`framing.normalize.TOKENIZERS`."""

    kind = "words"

    def __init__(self, name, table, norm, index: WordIndex):
        super().__init__(name, table, norm)
        self.index = index
        self._terms = None

    def occurrences(self, docs, cache=None):
        return self.index.occurrences(docs, _tokens(self.index.tokenizer, docs, cache))

    def term_name(self, col):
        if self._terms is None:
            terms = [""] * len(self.index.vocabulary)
            for term, c in self.index.vocabulary.items():
                terms[c] = term
            self._terms = terms
        return _readable_word_term(self._terms[col])

    def analysis(self, docs):
        return [self.index.tokenizer(doc) for doc in docs]

    def to_arrays(self):
        terms = [""] * len(self.index.vocabulary)
        for term, col in self.index.vocabulary.items():
            terms[col] = term
        return {**super().to_arrays(),
                "terms": _ascii_buffer(terms),
                "tokenizer": np.array(self.index.tokenizer.__name__),
                "bigrams": np.array(self.index.bigrams)}

    @classmethod
    def from_arrays(cls, name, arrays):
        tokenizer = _tokenizer_of(name, arrays)
        vocabulary = {t: i for i, t in enumerate(_from_ascii_buffer(arrays["terms"]))}
        index = WordIndex(vocabulary, tokenizer, bool(arrays["bigrams"]))
        return cls(name, arrays["table"], str(arrays["norm"]), index)


class CharBlock(TermBlock):
    """Character n-grams inside word boundaries (see :func:`framing.ngrams.char_ngram_codes`)."""

    kind = "chars"

    def __init__(self, name, table, norm, index: CharIndex):
        super().__init__(name, table, norm)
        self.index = index

    def occurrences(self, docs, cache=None):
        return self.index.occurrences(docs)

    def logits(self, docs, cache=None):
        # Each distinct word of the batch is scored once, then words are added up per paragraph.
        n = len(docs)
        words, ids, per_doc = split_words(docs)
        indptr, word_cols = self.index.columns_of_words(words)
        segment = np.repeat(np.arange(len(words)), np.diff(indptr))
        per_word = _segment_sums(self.table[word_cols], segment, len(words))
        return self._divide(_segment_sums(per_word[ids], np.repeat(np.arange(n), per_doc), n))

    def term_name(self, col):
        return f"[{decode_char_code(int(self.index.codes[col]))}]"

    def analysis(self, docs):
        lo, hi = self.index.ngram_range
        words = [w for doc in docs for w in doc.split()]
        return [[word.tolist(), code.tolist()] for word, code in char_ngram_codes(words, lo, hi)]

    def to_arrays(self):
        return {**super().to_arrays(), "codes": self.index.codes,
                "ngram_range": np.array(self.index.ngram_range, dtype=np.int64)}

    @classmethod
    def from_arrays(cls, name, arrays):
        index = CharIndex(np.asarray(arrays["codes"], dtype=np.int64),
                          tuple(int(v) for v in arrays["ngram_range"]))
        return cls(name, arrays["table"], str(arrays["norm"]), index)


class VectorBlock(TermBlock):
    """Pretrained word vectors compiled to a score per vector: the block a linear model learnt over
    :class:`framing.features.WordVectorFeatures` (the signed sum of a paragraph's word vectors over
    the square root of their number), without the vectors.

    Several words may share a vector, hence a row of the table; a negated word counts with its
    scores negated (its column is the row plus the number of rows).

    Parameters
    ----------
    table : ndarray, shape (n_rows, n_classes + 1)
        Per vector, its score for each class, then 1 (each word counts once in the length).
    words : dict
        Normalised word -> row.
    tokenizer : callable
        The word tokenizer whose words are read (see :func:`framing.normalize.vector_terms`).
    """

    kind = "wordvectors"

    def __init__(self, name, table, norm, words: dict, tokenizer):
        super().__init__(name, table, norm)
        self.words, self.tokenizer = words, tokenizer
        self._rows = len(self.table)
        negated = self.table.copy()
        negated[:, :-1] *= -1
        self._signed = np.vstack([self.table, negated])
        self._memo: dict = {}
        self._sorted_words = self._word_ids = None

    def occurrences(self, docs, cache=None):
        # Each distinct token is resolved once (vector_terms is the one definition of what the
        # block reads) and remembered: the hot path is one dict lookup per token.
        memo, resolve = self._memo, self._resolve
        cols, counts = [], []
        for toks in _tokens(self.tokenizer, docs, cache):
            found = [memo.get(t) for t in toks]
            if None in found:  # tokens not seen yet
                found = [resolve(t) if c is None else c for t, c in zip(toks, found)]
            found = [c for c in found if c >= 0]
            cols.extend(found)
            counts.append(len(found))
        return np.array(cols, dtype=np.int64), np.array(counts, dtype=np.int64)

    def _resolve(self, token: str) -> int:
        """The column a token reads in the signed table, -1 when it reads none (remembered)."""
        col = -1
        for word, sign in vector_terms([token]):
            row = self.words.get(word)
            if row is not None:
                col = row if sign > 0 else row + self._rows
        if len(self._memo) < 1_000_000:
            self._memo[token] = col
        return col

    def logits(self, docs, cache=None):
        cols, counts = self.occurrences(docs, cache)
        n = len(docs)
        return self._divide(_segment_sums(self._signed[cols], np.repeat(np.arange(n), counts), n))

    def _word_list(self) -> list:
        # Built on the first explain only: a sorted word list, for columns that name a word.
        if self._sorted_words is None:
            words = sorted(self.words)
            self._word_ids = {w: i for i, w in enumerate(words)}
            self._sorted_words = words  # last: another thread that sees it sees the ids too
        return self._sorted_words

    def contributions(self, doc):
        # Per word (not per shared vector), so that explain names the words of the paragraph:
        # column 2 * word id, + 1 when the word is negated.
        self._word_list()
        terms = [(w, s) for w, s in vector_terms(self.tokenizer(doc)) if w in self.words]
        if not terms:
            return np.zeros(0, dtype=np.int64), np.zeros((0, self.table.shape[1] - 1))
        distinct = sorted(set(terms))
        norm = NORMS[self.norm](np.array([float(len(terms))]))[0] or 1.0
        values = np.array([self.table[self.words[w], :-1] * s * terms.count((w, s)) for w, s in distinct]) / norm
        cols = np.array([2 * self._word_ids[w] + (s < 0) for w, s in distinct], dtype=np.int64)
        return cols, values

    def term_name(self, col):
        word = self._word_list()[col // 2]
        return ("~¬" if col % 2 else "~") + word

    def analysis(self, docs):
        return [[[w, s, self.words.get(w, -1)] for w, s in vector_terms(self.tokenizer(doc))] for doc in docs]

    def to_arrays(self):
        order = sorted(self.words)
        return {**super().to_arrays(),
                # One ASCII buffer rather than an array of str: numpy stores str as 4 bytes a character.
                "words": _ascii_buffer(order),
                "rows": np.array([self.words[w] for w in order], dtype=np.int32),
                "tokenizer": np.array(self.tokenizer.__name__)}

    @classmethod
    def from_arrays(cls, name, arrays):
        tokenizer = _tokenizer_of(name, arrays)
        words = _from_ascii_buffer(arrays["words"])
        return cls(name, arrays["table"], str(arrays["norm"]), dict(zip(words, arrays["rows"].tolist())), tokenizer)


BLOCK_KINDS = {cls.kind: cls for cls in (WordBlock, CharBlock, VectorBlock)}


class LinearScorer:
    """A framing model as tables: term blocks, biases and a temperature.

    Build one with :func:`framing.compile.compile_pipeline` (training) or
    :meth:`load` (prediction).

    Parameters
    ----------
    classes : sequence of str
        The labels, in the order of every score column.
    intercept : array, shape (n_classes,)
        The biases.
    blocks : sequence of TermBlock
    temperature : float
        Calibration: the logits are divided by it before the softmax.
    """

    def __init__(self, classes, intercept, blocks, temperature: float = 1.0):
        self.classes_ = np.asarray([str(c) for c in classes])
        self.intercept = np.asarray(intercept, dtype=np.float64)
        self.blocks = tuple(blocks)
        self.temperature = float(temperature)
        if not self.temperature > 0:
            raise ValueError(f"temperature must be positive, got {temperature!r}")
        n = len(self.classes_)
        if self.intercept.shape != (n,):
            raise ValueError(f"intercept has shape {self.intercept.shape}, expected ({n},)")
        for block in self.blocks:
            if block.table.ndim != 2 or block.table.shape[1] != n + 1:
                raise ValueError(f"block {block.name!r}: table of shape {block.table.shape}, "
                                 f"expected (terms, {n + 1})")

    def decision_function(self, texts: list[str]) -> np.ndarray:
        """Calibrated logits of each class (in ``classes_`` order) for raw paragraphs."""
        docs = [normalize_text(t) for t in texts]
        z = np.tile(self.intercept, (len(docs), 1))
        cache: dict = {}
        for block in self.blocks:
            z += block.logits(docs, cache)
        return z / self.temperature

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Softmax of :meth:`decision_function`."""
        z = self.decision_function(texts)
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        return z / z.sum(axis=1, keepdims=True)

    def contributions(self, text: str):
        """Every distinct term of a raw paragraph with its part of the calibrated logits.

        Returns
        -------
        (names, values)
            Readable term names (listed once each, whatever their count) and an
            array (len(names), n_classes); with the biases over the temperature,
            the rows add up to :meth:`decision_function` of ``text``.
        """
        doc = normalize_text(text)
        names, parts = [], []
        for block in self.blocks:
            cols, values = block.contributions(doc)
            names += [block.term_name(int(c)) for c in cols]
            parts.append(values)
        values = np.vstack(parts) if parts else np.zeros((0, len(self.classes_)))
        return names, values / self.temperature

    def fingerprint(self) -> str:
        """sha256 of what this model's text processing makes of :data:`PROBE_TEXTS`.

        Stored in a model's metadata at training and recomputed at load: when
        normalisation or tokenisation changed since, the tables would look up
        other terms than they learned, and the model is refused.
        """
        docs = [normalize_text(t) for t in PROBE_TEXTS]
        parts = {"normalized": docs, **{f"{b.kind}:{b.name}": b.analysis(docs) for b in self.blocks}}
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()

    def save(self, f) -> None:
        """Write the tables as an uncompressed ``.npz`` to a binary file object."""
        arrays = {"format": np.array(TABLES_FORMAT),
                  "classes": np.array(self.classes_.tolist(), dtype=str),
                  "intercept": self.intercept,
                  "temperature": np.array(self.temperature),
                  "blocks": np.array([b.name for b in self.blocks], dtype=str)}
        for block in self.blocks:
            for key, value in block.to_arrays().items():
                arrays[f"{block.name}/{key}"] = value
        np.savez(f, **arrays)

    @classmethod
    def load(cls, path) -> "LinearScorer":
        """Read tables written by :meth:`save`; no pickle is involved.

        Raises
        ------
        ValueError
            When the file is not a set of framing tables of this format.
        """
        with np.load(path, allow_pickle=False) as z:
            data = {k: z[k] for k in z.files}
        found = str(data.get("format", "none"))
        if found != TABLES_FORMAT:
            raise ValueError(f"its tables are in format {found!r}, this framing reads {TABLES_FORMAT!r}")
        blocks = []
        for name in data["blocks"].tolist():
            arrays = {k.split("/", 1)[1]: v for k, v in data.items() if k.startswith(name + "/")}
            kind = BLOCK_KINDS.get(str(arrays.get("kind")))
            if kind is None:
                raise ValueError(f"block {name!r} is of unknown kind {str(arrays.get('kind'))!r}")
            blocks.append(kind.from_arrays(name, arrays))
        return cls(data["classes"].tolist(), data["intercept"], blocks, float(data["temperature"]))
