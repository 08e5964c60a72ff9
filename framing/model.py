"""The model artifact: score tables and their metadata, side by side, checked before use.

- ``NAME.npz``: the model, compiled to score tables (:mod:`framing.scorer`):
  plain arrays, read with ``allow_pickle=False``, so loading runs no code;
- ``NAME.json``: metadata: the model format version, the fingerprint of the
  text processing it was built with, labels, training data fingerprint,
  cross-validated scores, library versions, and the sha256 of the tables.

The tables are read only when their sha256 matches the metadata, the format
version is the one this framing reads, and today's normalisation and
tokenisation give the fingerprint the model was built with. Every refusal says
what to do. No scikit-learn, no pickle: the version of scikit-learn a model
was trained with does not matter to use it.
"""
from __future__ import annotations

import hashlib
import json
import platform
import zipfile
from importlib import metadata as _dist
from pathlib import Path

from .atomic import atomic_file
from .errors import ModelError
from .labels import LABELS

__all__ = [
    "BUNDLED_MODEL",
    "FORMAT_VERSION",
    "read_metadata",
    "load_scorer",
    "save_model",
    "metadata_path",
    "tables_path",
    "file_sha256",
    "library_versions",
]

BUNDLED_MODEL = Path(__file__).resolve().parent / "models" / "framing.npz"
# The model format: file layout, table layout and what the fingerprint covers.
# Bump it with any change that an old model cannot be read or scored with.
FORMAT_VERSION = 3
_FIX = "retrain it with `framing train --out PATH.npz` (add --data YOUR_DATA for your own corpus)"


def tables_path(model_path) -> Path:
    """The score tables of a model: the path itself when it ends in ``.npz``, else the same name with it."""
    path = Path(model_path)
    return path if path.suffix == ".npz" else path.with_suffix(".npz")


def metadata_path(model_path) -> Path:
    """The metadata file that must sit beside a model: same name, ``.json`` suffix."""
    return Path(model_path).with_suffix(".json")


def file_sha256(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def installed_version(dist: str) -> str:
    """A distribution's installed version, read without importing it."""
    try:
        return _dist.version(dist)
    except _dist.PackageNotFoundError:
        return "not installed"


def library_versions() -> dict:
    """Versions of what a model is built with (for the record: none is checked at load)."""
    from . import __version__

    return {
        "framing": __version__,
        "python": platform.python_version(),
        **{name: installed_version(name) for name in ("scikit-learn", "numpy", "scipy", "unidecode")},
    }


def _format_problem(meta: dict, meta_path: Path) -> str | None:
    from . import __version__

    found = meta.get("format_version")
    if found == FORMAT_VERSION:
        return None
    built = meta.get("versions", {}).get("framing", "an unknown version")
    if isinstance(found, int) and found > FORMAT_VERSION:
        return (f"{meta_path.with_suffix('.npz')} is a model of format {found}, written by framing {built}; "
                f"framing {__version__} reads format {FORMAT_VERSION}: upgrade framing "
                f"(pip install -U framing), or {_FIX}")
    return (f"{meta_path.with_suffix('.npz')} is a model of format {found}, written by framing {built}; "
            f"framing {__version__} reads format {FORMAT_VERSION} (score tables, no pickle): {_FIX}, "
            f"or use it with framing {built}")


def read_metadata(model_path) -> dict:
    """Read the metadata of a model and check its tables' format and sha256, before anything is loaded.

    Raises
    ------
    ModelError
        Missing tables or metadata, another model format, other labels, or a
        hash mismatch.
    """
    tables, meta_path = tables_path(model_path), metadata_path(model_path)
    if not meta_path.is_file():
        if not tables.is_file():
            raise ModelError(f"model not found: {tables} (a model is NAME.npz with NAME.json beside it)")
        raise ModelError(f"refusing to load {tables}: its metadata file {meta_path.name} is missing, and "
                         "framing only loads tables whose metadata names their sha256; " + _FIX)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"unreadable model metadata {meta_path}: {exc}; {_FIX}") from None
    if not isinstance(meta, dict) or "format_version" not in meta:
        raise ModelError(f"{meta_path} is not the metadata of a framing model; {_FIX}")
    problem = _format_problem(meta, meta_path)
    if problem:
        raise ModelError(problem)
    if tuple(meta.get("labels", ())) != LABELS:
        raise ModelError(f"{tables} predicts labels {meta.get('labels')}, framing uses {list(LABELS)}; {_FIX}")
    if not tables.is_file():
        raise ModelError(f"{tables.name} is missing beside {meta_path.name}; {_FIX}")
    actual, expected = file_sha256(tables), meta.get("tables_sha256")
    if actual != expected:
        raise ModelError(f"refusing to load {tables}: its sha256 {actual[:12]}... does not match the "
                         f"{expected and expected[:12]}... recorded in {meta_path.name} (a corrupted, truncated "
                         "or replaced file); " + _FIX)
    return meta


def load_scorer(model_path, meta: dict):
    """The score tables of a model whose metadata :func:`read_metadata` has checked.

    Raises
    ------
    ModelError
        When the tables cannot be read, predict other labels, or were built with
        other text processing than this framing's (their fingerprint differs).
    """
    from .scorer import LinearScorer

    path = tables_path(model_path)
    try:
        scorer = LinearScorer.load(path)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise ModelError(f"cannot read {path}: {exc}; {_FIX}") from None
    if sorted(scorer.classes_.tolist()) != sorted(LABELS):
        raise ModelError(f"{path} predicts {scorer.classes_.tolist()}, framing uses {list(LABELS)}; {_FIX}")
    if scorer.fingerprint() != meta.get("text_fingerprint"):
        from . import __version__

        built = meta.get("versions", {}).get("framing", "an unknown version")
        raise ModelError(f"{path} was built by framing {built} with another normalisation or tokenisation "
                         f"than framing {__version__}'s: its tables would look up other terms than they "
                         f"learned; {_FIX}, or use it with framing {built}")
    return scorer


def save_model(scorer, metadata: dict, model_path) -> dict:
    """Write a model's tables, then its metadata (with their sha256 and fingerprint), each atomically.

    The metadata goes last: a run cut in between leaves tables whose hash
    disagrees with the metadata, which :func:`read_metadata` refuses.

    Returns
    -------
    dict
        The metadata written.
    """
    path = tables_path(model_path)
    with atomic_file(path) as f:
        scorer.save(f)
    meta = dict(metadata)
    meta.update({
        "format_version": FORMAT_VERSION,
        "text_fingerprint": scorer.fingerprint(),
        "labels": list(LABELS),
        "tables_sha256": file_sha256(path),
        "tables_bytes": path.stat().st_size,
    })
    text = json.dumps(meta, indent=2, ensure_ascii=False) + "\n"
    with atomic_file(metadata_path(path)) as f:
        f.write(text.encode("utf-8"))
    return meta
