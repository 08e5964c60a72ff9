"""Classifier: a loaded model with the methods users call, and the lazily loaded default one."""
from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import overload

import numpy as np

from .errors import ModelError
from .labels import LABELS
from .model import BUNDLED_MODEL, load_pipeline, load_scorer, read_metadata
from .normalize import CONCESSION_PREFIX, NEGATION_PREFIX
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


def _readable(name: str) -> str:
    """Feature name -> something a person reads: ``words__neg_menace`` -> ``¬menace``."""
    branch, _, term = name.partition("__")
    if branch == "chars":
        return f"[{term}]"
    if branch == "cues":
        return f"<{term}>"
    words = []
    for w in term.split(" "):
        head = CONCESSION_PREFIX if w.startswith(CONCESSION_PREFIX) else ""
        w = w[len(head):]
        words.append(head + ("¬" + w[len(NEGATION_PREFIX):] if w.startswith(NEGATION_PREFIX) else w))
    return " ".join(words)


class Classifier:
    """A framing model loaded from a file, with the methods of the ``framing`` module.

    Parameters
    ----------
    model_path : str or Path, optional
        A model written by ``framing train`` (its ``.json`` metadata must sit
        beside it). Default: the model bundled with the package.

    Raises
    ------
    ModelError
        When the file is missing, unverified, corrupted or built for another
        scikit-learn version (see :func:`framing.model.read_metadata`).
    """

    def __init__(self, model_path=None):
        path = BUNDLED_MODEL if model_path is None else model_path
        if not isinstance(path, (str, Path)):
            raise TypeError(f"model_path must be str or Path, got {_type_name(path)}")
        self.model_path = Path(path)
        self.metadata = read_metadata(self.model_path)  # every file's hash, labels, versions
        self._pipeline_lock = threading.Lock()
        self._loaded_pipeline = None
        # classify runs the compiled score tables (no pickle); the pipeline is unpickled
        # only for explain(), or when a model has no tables.
        self._scorer = load_scorer(self.model_path, self.metadata)
        classes = list((self._scorer or self._pipeline).classes_)
        # Reorder the model's columns to LABELS order once, not per call.
        self._order = np.array([classes.index(label) for label in LABELS])

    @property
    def _pipeline(self):
        """The scikit-learn pipeline, unpickled on first use (once, thread-safely)."""
        if self._loaded_pipeline is None:
            with self._pipeline_lock:
                if self._loaded_pipeline is None:
                    self._loaded_pipeline = load_pipeline(self.model_path, self.metadata)
        return self._loaded_pipeline

    def __repr__(self):
        cv = self.metadata.get("cv", {}).get("macro_f1")
        return f"Classifier({str(self.model_path)!r}, cv_macro_f1={cv})"

    def predict_proba(self, texts: list[str], n_jobs: int | None = None) -> np.ndarray:
        """Scores of validated texts, columns in ``LABELS`` order; one pass through the model.

        With ``n_jobs`` > 1 (or -1 for every core), a large batch is split over
        that many processes; each loads the model once and keeps it.
        """
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
        model = self._scorer or self._pipeline
        proba = model.predict_proba(clipped)[:, self._order].astype(np.float64)
        return proba / proba.sum(axis=1, keepdims=True)  # exactly 1, in float64

    def _predictions(self, texts: list[str], n_jobs=None, min_confidence=None) -> list[Prediction]:
        threshold = _check_confidence(min_confidence)
        proba = self.predict_proba(texts, n_jobs)
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
        """The terms of ``text`` that weighed most towards its predicted label.

        Parameters
        ----------
        text : str
        top : int
            How many terms to return.

        Returns
        -------
        Explanation
            With each term's contribution (weight × feature value) to every label,
            centred across labels (the softmax ignores what all labels share).
        """
        if isinstance(top, bool) or not isinstance(top, int) or top < 1:
            raise ValueError(f"top must be a positive int, got {top!r}")
        prediction = self.classify(text)
        features, model = self._pipeline[:-1], self._pipeline[-1]
        coef = getattr(model, "coef_", None)
        if coef is None:
            raise ModelError("this model has no linear weights to explain")
        x = features.transform([text[:MAX_CHARS]]).tocsr()
        idx, values = x.indices, x.data
        contrib = (coef[:, idx] * values)[self._order]  # labels x present features
        contrib = contrib - contrib.mean(axis=0, keepdims=True)
        names = features.get_feature_names_out()
        k = LABELS.index(prediction.label)
        ranked = np.argsort(-contrib[k], kind="stable")[:top]
        terms = tuple(
            (_readable(str(names[idx[j]])), {l: float(contrib[i, j]) for i, l in enumerate(LABELS)})
            for j in ranked
        )
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
    return cached_classifier(model_path).predict_proba(texts)


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
