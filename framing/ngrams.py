"""Term lookup for prediction: words through a dict, character n-grams through a numpy hash table.

numpy only (no scikit-learn), so that classifying needs neither scikit-learn nor
unpickling. The vectorizers (training) and the compiled scorer (prediction)
share this code, so both see exactly the same terms.
"""
from __future__ import annotations

import numpy as np

__all__ = ["HashTable", "char_ngram_codes", "decode_char_code", "CharIndex", "WordIndex", "occurrence_rows"]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing multiplier
_SPACE = 32


class HashTable:
    """int64 key -> its position in the key array, by linear probing, built and probed with numpy."""

    def __init__(self, keys: np.ndarray):
        self.bits = max(10, int(np.ceil(np.log2(max(len(keys), 1) * 8))))  # load <= 1/8: short probes
        self.mask = (1 << self.bits) - 1
        self.keys = np.full(1 << self.bits, -1, dtype=np.int64)
        self.values = np.zeros(1 << self.bits, dtype=np.int32)
        home = self._home(keys)
        pending = np.arange(len(keys))
        probe = 0
        while len(pending):
            slot = (home[pending] + probe) & self.mask
            free = self.keys[slot] == -1
            taken, first = np.unique(slot[free], return_index=True)  # one key per free slot
            winners = pending[free][first]
            self.keys[taken] = keys[winners]
            self.values[taken] = winners
            placed = np.zeros(len(pending), dtype=bool)
            placed[np.flatnonzero(free)[first]] = True
            pending = pending[~placed]
            probe += 1

    def _home(self, keys):
        return ((keys.view(np.uint64) * _GOLDEN) >> np.uint64(64 - self.bits)).view(np.int64)

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """Position of each key, -1 where unknown."""
        slot = self._home(keys)
        found = self.keys[slot]
        out = np.where(found == keys, self.values[slot], -1)
        pending = np.flatnonzero((found != keys) & (found != -1))
        probe = 1
        while len(pending):
            slot = (self._home(keys[pending]) + probe) & self.mask
            found = self.keys[slot]
            hit = found == keys[pending]
            out[pending[hit]] = self.values[slot[hit]]
            pending = pending[~hit & (found != -1)]
            probe += 1
        return out


def char_ngram_codes(words: list[str], lo: int, hi: int):
    """Yield (word index, n-gram code) arrays of the character n-grams of each word, n = lo..hi.

    Each word is padded with a space on each side (as scikit-learn's ``char_wb``
    does); a code packs the n-gram's ASCII bytes and its length into an int64.
    Words are ASCII (normalised text); other characters count as ``?``.
    """
    padded = [" " + w + " " for w in words]
    lengths = np.fromiter(map(len, padded), dtype=np.int64, count=len(words))
    buf = np.frombuffer("".join(padded).encode("ascii", "replace"), dtype=np.uint8).astype(np.int64)
    n = len(buf)
    word_of = np.repeat(np.arange(len(words), dtype=np.int64), lengths)
    # A window is inside one word when its first and last bytes belong to the same word.
    rolling = buf.copy()
    for size in range(2, hi + 1):
        m = n - size + 1
        if m <= 0:
            break
        rolling = rolling[:m] | (buf[size - 1:] << (8 * (size - 1)))
        if size < lo:
            continue
        valid = np.flatnonzero(word_of[:m] == word_of[size - 1:])
        yield word_of[valid], rolling[valid] | (size << 56)


def decode_char_code(code: int) -> str:
    """The n-gram a code stands for."""
    size = code >> 56
    return (code & ((1 << 56) - 1)).to_bytes(size, "little").decode("ascii")


def split_words(docs):
    """Words of a batch: (distinct words, id of every occurrence, words per paragraph)."""
    per_doc = []
    index: dict[str, int] = {}
    ids = []
    for doc in docs:
        split = doc.split()
        per_doc.append(len(split))
        ids.extend([index.setdefault(w, len(index)) for w in split])
    return list(index), np.array(ids, dtype=np.int64), np.array(per_doc, dtype=np.int64)


def occurrence_rows(word_indptr, word_cols, ids, per_doc):
    """Expand per-word columns to per-paragraph occurrence lists: (cols, count per paragraph)."""
    lens = np.diff(word_indptr)[ids]
    ends = np.cumsum(lens)
    total = int(ends[-1]) if len(ends) else 0
    cols = word_cols[np.repeat(word_indptr[:-1][ids] - (ends - lens), lens) + np.arange(total)]
    doc_of_word = np.repeat(np.arange(len(per_doc)), per_doc)
    counts = np.bincount(doc_of_word, weights=lens, minlength=len(per_doc)).astype(np.int64)
    return cols, counts


class CharIndex:
    """Sorted n-gram codes -> columns, with the n-gram range they were counted with."""

    def __init__(self, codes: np.ndarray, ngram_range):
        self.codes = codes
        self.ngram_range = tuple(ngram_range)
        self.table = HashTable(codes)

    def columns_of_words(self, words: list[str]):
        """Known n-gram columns of each word: (indptr, cols), word after word."""
        lo, hi = self.ngram_range
        parts = []
        for word_of, code in char_ngram_codes(words, lo, hi):
            col = self.table.lookup(code)
            known = col >= 0
            parts.append((word_of[known], col[known]))
        per_size = [np.bincount(w, minlength=len(words)) for w, _ in parts]
        counts = np.sum(per_size, axis=0) if parts else np.zeros(len(words), dtype=np.int64)
        indptr = np.zeros(len(words) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        # Scatter each size's n-grams (already in word order) into word-major order.
        cols = np.empty(int(indptr[-1]), dtype=np.int32)
        base = indptr[:-1].copy()
        for (word, col), size_counts in zip(parts, per_size):
            first = np.cumsum(size_counts) - size_counts
            cols[base[word] + (np.arange(len(word)) - first[word])] = col
            base += size_counts
        return indptr, cols

    def occurrences(self, docs):
        """Columns of every known n-gram occurrence, paragraph after paragraph, and counts."""
        words, ids, per_doc = split_words(docs)
        indptr, word_cols = self.columns_of_words(words)
        return occurrence_rows(indptr, word_cols, ids, per_doc)


class WordIndex:
    """Vocabulary of unigrams and bigrams (``"w1 w2"``) -> columns, with the tokenizer that made it."""

    def __init__(self, vocabulary: dict, tokenizer, bigrams: bool):
        self.vocabulary = vocabulary
        self.tokenizer = tokenizer
        self.bigrams = bigrams
        # Bigram lookup by a pair of unigram columns: int keys hash faster than strings.
        n = len(vocabulary)
        self.pairs = {}
        if bigrams:
            for term, col in vocabulary.items():
                first, sep, second = term.partition(" ")
                if sep and first in vocabulary and second in vocabulary:
                    self.pairs[vocabulary[first] * n + vocabulary[second]] = col

    def occurrences(self, docs, tokens=None):
        """Columns of every known term occurrence, paragraph after paragraph, and counts.

        ``tokens``, when given, is the tokenizer's output for each of ``docs`` (computed once
        for every block that reads it)."""
        get, n = self.vocabulary.get, len(self.vocabulary)
        pget = self.pairs.get if self.bigrams else None
        if tokens is None:
            tokens = map(self.tokenizer, docs)
        cols, counts = [], []
        for toks in tokens:
            ids = [get(t, -1) for t in toks]
            row = [i for i in ids if i >= 0]
            if pget is not None and len(ids) > 1:
                row += [c for c in (pget(a * n + b, -1) for a, b in zip(ids, ids[1:]) if a >= 0 and b >= 0)
                        if c >= 0]
            cols.extend(row)
            counts.append(len(row))
        return np.array(cols, dtype=np.int64), np.array(counts, dtype=np.int64)
