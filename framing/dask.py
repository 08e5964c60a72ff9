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

from .frame import classify_frame

__all__ = ["classify_dataframe", "classify_partition"]


def classify_partition(pdf, column: str = "text", model_path=None, prefix: str = "",
                       min_confidence=None, errors: str = "raise"):
    """:func:`framing.classify_frame` on one pandas DataFrame (a Dask partition).

    Adds ``label``, the three scores, ``confidence`` and ``uncertain``; each
    process loads the model once.

    Raises
    ------
    KeyError
        When ``column`` is missing.
    TypeError, ValueError
        When a cell is not text or is empty, naming the row's index label
        (unless ``errors="skip"``).
    """
    return classify_frame(pdf, column, prefix=prefix, min_confidence=min_confidence, errors=errors,
                          model=model_path)


def classify_dataframe(ddf, column: str = "text", *, model_path=None, prefix: str = "",
                       min_confidence=None, errors: str = "raise"):
    """A Dask DataFrame with the columns of :func:`framing.classify_frame` added, lazily per partition.

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
    min_confidence : float, optional
        Rows below it get ``uncertain=True``.
    errors : {"raise", "skip"}
        See :func:`framing.classify_frame`.
    """
    # The empty partition Dask keeps as a model gives the exact output columns and dtypes.
    meta = classify_partition(ddf._meta, column, model_path, prefix, min_confidence, errors)
    return ddf.map_partitions(classify_partition, column, model_path, prefix, min_confidence, errors,
                              meta=meta)
