"""Run framing on a Dask DataFrame: the same model, on every worker of a cluster.

Needs the optional extra: ``pip install "framing[dask]"``.

>>> import dask.dataframe as dd
>>> import framing.dask
>>> ddf = dd.read_parquet("press/*.parquet")                      # doctest: +SKIP
>>> labelled = framing.dask.classify_dataframe(ddf, column="text")  # doctest: +SKIP
>>> labelled.to_parquet("press_labelled/")                        # doctest: +SKIP

Each worker process loads the model once, on its first partition, and keeps it.
"""
from __future__ import annotations

import numpy as np

from .classifier import cached_classifier
from .labels import LABELS

__all__ = ["classify_dataframe", "classify_partition"]

def classify_partition(pdf, column: str = "text", model_path=None, prefix: str = ""):
    """Add ``label`` and the three scores to one pandas DataFrame (a Dask partition).

    Raises
    ------
    KeyError
        When ``column`` is missing.
    TypeError, ValueError
        When a cell is not text or is empty, naming the row's index label.
    """
    if column not in pdf.columns:
        raise KeyError(f"no column {column!r} in {list(pdf.columns)}")
    texts = pdf[column].tolist()
    for position, text in enumerate(texts):
        where = f"column {column!r}, row {pdf.index[position]!r}"
        if not isinstance(text, str):
            raise TypeError(f"{where}: expected str, got {type(text).__name__}")
        if not text.strip():
            raise ValueError(f"{where}: empty text, nothing to classify")
    proba = cached_classifier(model_path).predict_proba(texts)
    out = pdf.copy()
    out[prefix + "label"] = np.asarray(LABELS, dtype=object)[proba.argmax(axis=1)] if len(texts) else []
    for i, label in enumerate(LABELS):
        out[prefix + label] = proba[:, i]
    return out


def classify_dataframe(ddf, column: str = "text", *, model_path=None, prefix: str = ""):
    """A Dask DataFrame with ``label`` and the three scores added, computed lazily per partition.

    Parameters
    ----------
    ddf : dask.dataframe.DataFrame
    column : str
        The column holding the paragraphs.
    model_path : str or Path, optional
        A model from ``framing train`` (default: the bundled model). It must be
        readable at the same path on every worker.
    prefix : str
        Prefix of the added column names.
    """
    meta = ddf._meta.copy()
    meta[prefix + "label"] = np.array([], dtype=object)
    for label in LABELS:
        meta[prefix + label] = np.array([], dtype=np.float64)
    return ddf.map_partitions(classify_partition, column, model_path, prefix, meta=meta)
