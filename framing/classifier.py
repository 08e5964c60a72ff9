"""Classifier: a loaded model with the methods users call, and the lazily loaded default one."""
from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import overload

import numpy as np

from .labels import LABELS
from .model import BUNDLED_MODEL, load_scorer, read_metadata, tables_path
from .prediction import ArticleFraming, Explanation, Prediction, split_paragraphs

__all__ = ["Classifier", "default_classifier", "cached_classifier", "resolve_n_jobs", "MAX_CHARS",
           "PARALLEL_CHUNK"]

# Framing is decided within a paragraph's first few thousand words; reading
# further only costs time and memory on pathological input (a 10 MB "paragraph").
MAX_CHARS = 20_000
# Paragraphs per task when a batch is spread over processes: large enough that
# sending the texts costs little next to classifying them.
PARALLEL_CHUNK = 5_000


def _type_name(obj) -> str:
    return type(obj).__name__


def _check_text(text, where: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"{where} must be str, got {_type_name(text)}")
    if not text.strip():
        raise ValueError(f"{where} is empty or only white space: there is nothing to classify")
    return text


def as_text_list(texts) -> list[str]:
    """Validate a batch: a list of non-empty str, whatever iterable it came in."""
    if isinstance(texts, (bytes, bytearray, memoryview)):
        raise TypeError(f"expected str or an iterable of str, got {_type_name(texts)}; decode it first")
    if isinstance(texts, Mapping):
        raise TypeError(f"expected str or an iterable of str, got {_type_name(texts)}")
    if isinstance(texts, np.ndarray) and texts.ndim != 1:
        raise TypeError(f"expected a 1-dimensional array of str, got {texts.ndim} dimensions")
    try:
        items = iter(texts)
    except TypeError:
        raise TypeError(f"expected str or an iterable of str, got {_type_name(texts)}") from None
    return [_check_text(t, f"item {i}") for i, t in enumerate(items)]


class Classifier:
    """A framing model loaded from a file, with the methods of the ``framing`` module.

    Parameters
    ----------
    model_path : str or Path, optional
        A model written by ``framing train``: ``NAME.npz``, with ``NAME.json``
        beside it. Default: the model bundled with the package.

    Raises
    ------
    ModelError
        When the model is missing, corrupted, of another format or built with
        other text processing (see :func:`framing.model.read_metadata`).
    """

    def __init__(self, model_path=None):
        path = BUNDLED_MODEL if model_path is None else model_path
        if not isinstance(path, (str, Path)):
            raise TypeError(f"model_path must be str or Path, got {_type_name(path)}")
        self.model_path = tables_path(path)
        self.metadata = read_metadata(self.model_path)  # format, hash and labels checked
        self._scorer = load_scorer(self.model_path, self.metadata)
        # Reorder the model's columns to LABELS order once, not per call.
        classes = self._scorer.classes_.tolist()
        self._order = np.array([classes.index(label) for label in LABELS])

    def __repr__(self):
        cv = self.metadata.get("cv", {}).get("macro_f1")
        return f"Classifier({str(self.model_path)!r}, cv_macro_f1={cv})"

    def predict_proba(self, texts, n_jobs: int | None = None) -> np.ndarray:
        """Scores of paragraphs as an array, columns in ``LABELS`` order; one pass through the model.

        Parameters
        ----------
        texts : str or iterable of str
            Validated as :meth:`classify` does; a str is one paragraph (one row).
        n_jobs : int, optional
            With more than 1 (or -1 for every core), a large batch is split over
            that many processes; each loads the model once and keeps it.

        Returns
        -------
        ndarray, shape (n_texts, 3)

        Raises
        ------
        TypeError, ValueError
            As :meth:`classify`.
        """
        texts = [_check_text(texts, "text")] if isinstance(texts, str) else as_text_list(texts)
        return self._proba(texts, n_jobs)

    def _proba(self, texts: list[str], n_jobs=None) -> np.ndarray:
        """:meth:`predict_proba` of a list already validated."""
        if not texts:
            return np.zeros((0, len(LABELS)))
        workers = resolve_n_jobs(n_jobs)
        if workers > 1 and len(texts) > PARALLEL_CHUNK:
            from joblib import Parallel, delayed

            size = max(1000, min(PARALLEL_CHUNK, -(-len(texts) // workers)))
            chunks = [texts[i:i + size] for i in range(0, len(texts), size)]
            parts = Parallel(n_jobs=workers)(
                delayed(_proba_in_worker)(str(self.model_path), chunk) for chunk in chunks)
            return np.vstack(parts)
        clipped = [t[:MAX_CHARS] for t in texts]
        proba = self._scorer.predict_proba(clipped)[:, self._order]
        return proba / proba.sum(axis=1, keepdims=True)  # exactly 1, in float64

    def _predictions(self, texts: list[str], n_jobs=None, min_confidence=None) -> list[Prediction]:
        threshold = _check_confidence(min_confidence)
        proba = self._proba(texts, n_jobs)
        winners = proba.argmax(axis=1)
        return [
            Prediction(text, LABELS[w], dict(zip(LABELS, row.tolist())), bool(row[w] < threshold))
            for text, w, row in zip(texts, winners, proba)
        ]

    @overload
    def classify(self, texts: str, *, n_jobs: int | None = None,
                 min_confidence: float | None = None) -> Prediction: ...

    @overload
    def classify(self, texts: Iterable[str], *, n_jobs: int | None = None,
                 min_confidence: float | None = None) -> list[Prediction]: ...

    def classify(self, texts, *, n_jobs=None, min_confidence=None):
        """Label one paragraph, or a batch of them in one pass through the model.

        Parameters
        ----------
        texts : str or iterable of str
            A paragraph, or any iterable of paragraphs (list, tuple, generator,
            1-d numpy array, pandas Series...).
        n_jobs : int, optional
            Processes for a large batch (-1: every core). Results are the same.
        min_confidence : float, optional
            Predictions whose confidence is below this get ``uncertain=True``
            (their label stays the most probable one). See the README for the
            coverage / accuracy trade-off.

        Returns
        -------
        Prediction, or list of Prediction in input order.

        Raises
        ------
        TypeError
            For anything but str or an iterable of str (naming the bad item's index).
        ValueError
            For empty or white-space-only text.
        """
        if isinstance(texts, str):
            return self._predictions([_check_text(texts, "text")], None, min_confidence)[0]
        return self._predictions(as_text_list(texts), n_jobs, min_confidence)

    def classify_article(self, text: str) -> ArticleFraming:
        """Split an article into paragraphs, classify them in one batch, and give the overall framing.

        Paragraphs are split on blank lines when there are any, else on line
        breaks. See :func:`framing.prediction.article_label` for the overall rule.
        """
        _check_text(text, "article")
        return ArticleFraming(tuple(self._predictions(split_paragraphs(text))))

    def explain(self, text: str, top: int = 8) -> Explanation:
        """The terms of ``text`` that weighed most towards its predicted label, from the model's tables.

        Parameters
        ----------
        text : str
        top : int
            How many terms to return.

        Returns
        -------
        Explanation
            Each term once, with its contribution to every label: its score in
            the tables times its count, over the paragraph's length and the
            temperature, centred across labels (the softmax ignores what all
            labels share).

        Raises
        ------
        TypeError, ValueError
            As :meth:`classify` for ``text``; ValueError for a ``top`` that is
            not a positive int.
        """
        if isinstance(top, bool) or not isinstance(top, int) or top < 1:
            raise ValueError(f"top must be a positive int, got {top!r}")
        prediction = self.classify(_check_text(text, "text"))
        names, values = self._scorer.contributions(text[:MAX_CHARS])
        contrib = values[:, self._order]  # terms x labels
        contrib = contrib - contrib.mean(axis=1, keepdims=True)
        k = LABELS.index(prediction.label)
        ranked = np.argsort(-contrib[:, k], kind="stable")[:top]
        terms = tuple((names[j], dict(zip(LABELS, contrib[j].tolist()))) for j in ranked)
        return Explanation(prediction, terms)


def _check_confidence(value) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
        raise ValueError(f"min_confidence must be a number from 0 to 1, got {value!r}")
    return float(value)


def resolve_n_jobs(n_jobs) -> int:
    """Number of processes for ``n_jobs``: None -> 1, -1 -> every core; ValueError otherwise."""
    if n_jobs is None:
        return 1
    if isinstance(n_jobs, bool) or not isinstance(n_jobs, int) or n_jobs == 0 or n_jobs < -1:
        raise ValueError(f"n_jobs must be a positive int or -1 (every core), got {n_jobs!r}")
    return (os.cpu_count() or 1) if n_jobs == -1 else n_jobs


_models: dict[str, Classifier] = {}
_models_lock = threading.Lock()


def cached_classifier(model_path=None) -> Classifier:
    """This process's Classifier for a model file, loaded once (the default model when None).

    Worker processes (joblib, Dask) call it, so that each loads a model once.
    """
    if model_path is None:
        return default_classifier()
    key = str(model_path)
    with _models_lock:  # a Dask worker runs several partitions at once on its threads
        if key not in _models:
            _models[key] = Classifier(model_path)
        return _models[key]


def _proba_in_worker(model_path: str, texts: list[str]) -> np.ndarray:
    """Run in a worker process: load the model once per process, then score a chunk."""
    return cached_classifier(model_path)._proba(texts)


_default: Classifier | None = None
_default_lock = threading.Lock()


def default_classifier() -> Classifier:
    """The bundled model, loaded on first use, once, even when many threads ask at the same time."""
    global _default
    clf = _default
    if clf is None:
        with _default_lock:
            if _default is None:
                _default = Classifier()
            clf = _default
    return clf
