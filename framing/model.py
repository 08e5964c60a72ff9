"""The model artifact: a joblib pipeline plus a JSON metadata file beside it.

Loading a pickle runs code, so a model file is only unpickled when the JSON
metadata beside it names its exact sha256, and only when it was built with the
scikit-learn version installed now. Every refusal says what to do.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from pathlib import Path

import joblib
import numpy as np
import sklearn

from .errors import ModelError
from .labels import LABELS

__all__ = [
    "BUNDLED_MODEL",
    "FORMAT_VERSION",
    "load_artifact",
    "save_artifact",
    "metadata_path",
    "file_sha256",
    "library_versions",
]

BUNDLED_MODEL = Path(__file__).resolve().parent / "models" / "framing.joblib"
FORMAT_VERSION = 1
_FIX = "retrain it with `framing train --out PATH` (or reinstall framing to get the bundled model)"


def metadata_path(model_path) -> Path:
    """The metadata file that must sit beside a model file: same name, ``.json`` suffix."""
    return Path(model_path).with_suffix(".json")


def file_sha256(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def library_versions() -> dict:
    """Versions of what a model is built with; checked again at load."""
    import unidecode

    from . import __version__

    return {
        "framing": __version__,
        "python": platform.python_version(),
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "joblib": joblib.__version__,
        "unidecode": getattr(unidecode, "__version__", "unknown"),
    }


def _minor(version: str) -> tuple:
    return tuple(version.split(".")[:2])


def read_metadata(model_path) -> dict:
    """Read and check the metadata of a model file, before anything is unpickled."""
    model_path = Path(model_path)
    if not model_path.is_file():
        raise ModelError(f"model file not found: {model_path}")
    meta_path = metadata_path(model_path)
    if not meta_path.is_file():
        raise ModelError(
            f"refusing to load {model_path}: its metadata file {meta_path.name} is missing. "
            "A model file is a pickle, and unpickling runs code: framing only loads one whose "
            "metadata beside it names its sha256. Load only models you trust; " + _FIX
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"unreadable model metadata {meta_path}: {exc}; {_FIX}") from None
    if not isinstance(meta, dict) or meta.get("format_version") != FORMAT_VERSION:
        raise ModelError(
            f"{meta_path} is not framing model metadata of format {FORMAT_VERSION}; {_FIX}"
        )
    if tuple(meta.get("labels", ())) != LABELS:
        raise ModelError(
            f"{model_path} predicts labels {meta.get('labels')}, framing uses {list(LABELS)}; {_FIX}"
        )
    expected = meta.get("model_sha256")
    actual = file_sha256(model_path)
    if actual != expected:
        raise ModelError(
            f"refusing to load {model_path}: its sha256 {actual[:12]}... does not match the "
            f"{expected and expected[:12]}... recorded in {meta_path.name} (a corrupted, truncated "
            "or replaced file; unpickling an untrusted file can run arbitrary code); " + _FIX
        )
    built = meta.get("versions", {}).get("scikit-learn", "unknown")
    if _minor(built) != _minor(sklearn.__version__):
        raise ModelError(
            f"{model_path} was built with scikit-learn {built}, but {sklearn.__version__} is "
            f"installed; pickled scikit-learn models do not carry across versions. Either "
            f"`pip install 'scikit-learn=={built}'` or {_FIX}"
        )
    return meta


def load_artifact(model_path):
    """Verify, then load a model file.

    Parameters
    ----------
    model_path : str or Path

    Returns
    -------
    (pipeline, metadata)

    Raises
    ------
    ModelError
        Missing file or metadata, hash mismatch, other labels, other scikit-learn
        version, or a file that does not unpickle to a framing pipeline.
    """
    meta = read_metadata(model_path)
    try:
        pipeline = joblib.load(model_path)
    except Exception as exc:  # a verified file that still fails is broken: say so, whatever broke
        raise ModelError(f"cannot load {model_path}: {type(exc).__name__}: {exc}; {_FIX}") from None
    classes = getattr(pipeline, "classes_", None)
    if classes is None or not hasattr(pipeline, "predict_proba"):
        raise ModelError(f"{model_path} does not hold a trained framing pipeline; {_FIX}")
    if set(classes) != set(LABELS):
        raise ModelError(f"{model_path} predicts {list(classes)}, framing uses {list(LABELS)}; {_FIX}")
    return pipeline, meta


def _atomic_write(path: Path, write) -> None:
    """Write through a temporary file in the same folder, then rename over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def save_artifact(pipeline, metadata: dict, model_path) -> dict:
    """Write a model and its metadata (with the model's sha256) atomically.

    The model goes first and the metadata last: a run cut in between leaves a
    pair whose hashes disagree, which ``load_artifact`` refuses loudly.
    """
    model_path = Path(model_path)
    _atomic_write(model_path, lambda f: joblib.dump(pipeline, f, compress=3))
    meta = dict(metadata)
    meta["format_version"] = FORMAT_VERSION
    meta["labels"] = list(LABELS)
    meta["model_sha256"] = file_sha256(model_path)
    meta["model_bytes"] = model_path.stat().st_size
    text = json.dumps(meta, indent=2, ensure_ascii=False) + "\n"
    _atomic_write(metadata_path(model_path), lambda f: f.write(text.encode("utf-8")))
    return meta
