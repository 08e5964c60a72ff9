"""pandas in, pandas out: label a DataFrame's (or a Series') paragraphs and keep its index.

pandas is an optional extra (``pip install "framing[pandas]"``), imported only
when :func:`classify_frame` is called, so that ``framing.classify`` still needs
only numpy and unidecode.

>>> import pandas as pd, framing
>>> df = pd.DataFrame({"text": ["Une avancée majeure.", "Une dérive inquiétante."]}, index=["a", "b"])
>>> framing.classify_frame(df).columns.tolist()                       # doctest: +SKIP
['text', 'label', 'optimistic', 'critical', 'neutral', 'confidence', 'uncertain']
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from .classifier import Classifier, _check_confidence, cached_classifier, resolve_n_jobs
from .labels import LABELS

__all__ = ["classify_frame", "added_columns"]

ERRORS = ("raise", "skip")


def added_columns(prefix: str = "") -> list[str]:
    """The columns :func:`classify_frame` adds, in order: label, the three scores, confidence, uncertain."""
    return [prefix + name for name in ("label", *LABELS, "confidence", "uncertain")]


def _problem(value) -> tuple[type, str] | None:
    """Why a cell cannot be classified (error class and reason), or None when it can."""
    if isinstance(value, str):
        if value.strip():
            return None
        return ValueError, "empty or only white space: there is nothing to classify"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return TypeError, f"must be str, got a missing value ({value!r})"
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return TypeError, f"must be str, got a missing value ({value!r})"
    except ImportError:  # pragma: no cover - a pandas object implies pandas
        pass
    return TypeError, f"must be str, got {type(value).__name__}"


def _check_model(model):
    if model is not None and not isinstance(model, (str, Path, Classifier)):
        raise TypeError(f"model must be None, a path or a Classifier, got {type(model).__name__}")
    return model


def _proba(model, texts, n_jobs) -> np.ndarray:
    if not texts:  # no model load for an empty frame (Dask builds its metadata from one)
        return np.zeros((0, len(LABELS)))
    clf = model if isinstance(model, Classifier) else cached_classifier(model)
    return clf.predict_proba(texts, n_jobs=n_jobs)


def classify_frame(data, column: str = "text", *, prefix: str = "", min_confidence: float | None = None,
                   n_jobs: int | None = None, errors: str = "raise", model=None):
    """Label every paragraph of a DataFrame column (or of a Series) and return a new DataFrame.

    Parameters
    ----------
    data : pandas.DataFrame or pandas.Series
        The paragraphs. A Series becomes a one-column frame named after the
        Series (``column`` when it has no name).
    column : str
        The DataFrame column holding the paragraphs (ignored for a Series).
    prefix : str
        Prefix of the added column names (e.g. ``"framing_"`` when ``data``
        already has a ``label`` column).
    min_confidence : float, optional
        Rows whose confidence is below it get ``uncertain=True``.
    n_jobs : int, optional
        Processes for a large frame (-1: every core). Results are the same.
    errors : {"raise", "skip"}
        ``"raise"`` (default): a cell that is not usable text raises.
        ``"skip"``: such a row is kept, with an empty label (``""``), NaN scores
        and confidence, and ``uncertain=True``, so that filtering on
        ``~uncertain`` leaves it out.
    model : str, Path or Classifier, optional
        Another model (default: the bundled one). A path is loaded once per process.

    Returns
    -------
    pandas.DataFrame
        A new frame: every input column, then ``label``, ``optimistic``,
        ``critical``, ``neutral`` (probabilities summing to 1), ``confidence``
        (the label's probability) and ``uncertain`` (bool), with the input's
        index and row order. The input is not modified.

    Raises
    ------
    TypeError
        When ``data`` is not a DataFrame or Series, or (``errors="raise"``) a
        cell is not a str: a number, or a missing value (None, NaN, NA). The
        message names the row's index label, as ``framing.classify`` names an
        item's position.
    ValueError
        For an empty or white-space-only cell, naming the row's index label;
        for added columns that already exist (use ``prefix``); for a bad
        ``errors``, ``min_confidence`` or ``n_jobs``.
    KeyError
        When ``column`` is not in the DataFrame.
    """
    try:
        import pandas as pd
    except ImportError:
        raise ImportError('classify_frame needs pandas: pip install "framing[pandas]"') from None
    if errors not in ERRORS:
        raise ValueError(f"errors must be 'raise' or 'skip', got {errors!r}")
    if not isinstance(prefix, str):
        raise TypeError(f"prefix must be str, got {type(prefix).__name__}")
    threshold = _check_confidence(min_confidence)
    _check_model(model)
    resolve_n_jobs(n_jobs)  # checked now, even if there turns out to be nothing to classify
    if isinstance(data, pd.Series):
        name = data.name if data.name is not None else column
        frame, column = data.to_frame(name=name), name
    elif isinstance(data, pd.DataFrame):
        if column not in data.columns:
            raise KeyError(f"no column {column!r} in {list(data.columns)}")
        frame = data
    else:
        raise TypeError(f"expected a pandas DataFrame or Series, got {type(data).__name__}")
    added = added_columns(prefix)
    clash = [c for c in added if c in frame.columns]
    if clash:
        raise ValueError(f"the input already has column(s) {clash}; choose other names with prefix=")
    cells = frame[column]
    if isinstance(cells, pd.DataFrame):  # duplicate column names select several columns
        raise ValueError(f"several columns are named {column!r}; rename them first")

    texts, good = [], np.ones(len(frame), dtype=bool)
    for position, value in enumerate(cells.tolist()):
        problem = _problem(value)
        if problem is None:
            texts.append(value)
            continue
        if errors == "raise":
            kind, reason = problem
            key = frame.index[position]
            key = key.item() if isinstance(key, np.generic) else key  # 20, not np.int64(20)
            raise kind(f"column {column!r}, row {key!r}: {reason}")
        good[position] = False

    proba = np.full((len(frame), len(LABELS)), np.nan)
    proba[good] = _proba(model, texts, n_jobs)
    # A str array: pandas gives the column the same dtype whether the frame is empty or not
    # (Dask compares a partition's dtypes with those of the empty frame it keeps as a model).
    labels = np.full(len(frame), "", dtype=f"<U{max(map(len, LABELS))}")
    labels[good] = np.asarray(LABELS)[proba[good].argmax(axis=1)]
    confidence = np.full(len(frame), np.nan)
    confidence[good] = proba[good].max(axis=1, initial=0.0)
    uncertain = ~good | (confidence < threshold)  # NaN compares False; skipped rows are uncertain anyway

    out = frame.copy()
    # Arrays, not Series: assigned by position, so a duplicated index keeps the input's order.
    for name, values in zip(added, [labels, *proba.T, confidence, uncertain]):
        out[name] = values
    return out
