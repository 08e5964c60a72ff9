"""The model artifact: three files side by side, checked before anything is read.

- ``NAME.joblib``: the trained scikit-learn pipeline (a pickle: used for
  ``explain`` and retraining tools, unpickled only when needed);
- ``NAME.npz``: the same model compiled to score tables (:mod:`framing.scorer`),
  which is what ``classify`` runs: plain arrays, loaded without pickle;
- ``NAME.json``: metadata: labels, training data fingerprint, cross-validated
  scores, library versions, and the sha256 of the two files above.

A file is read only when its sha256 matches the metadata, and the pickle only
with the scikit-learn minor version it was built with. Every refusal says what
to do.
"""
from __future__ import annotations

import hashlib
import json
import os
import platform
import tempfile
from importlib import metadata as _dist
from pathlib import Path

from .errors import ModelError
from .labels import LABELS

__all__ = [
    "BUNDLED_MODEL",
    "FORMAT_VERSION",
    "read_metadata",
    "load_scorer",
    "load_pipeline",
    "save_artifact",
    "metadata_path",
    "scorer_path",
    "file_sha256",
    "library_versions",
]

BUNDLED_MODEL = Path(__file__).resolve().parent / "models" / "framing.joblib"
FORMAT_VERSION = 2
_FIX = "retrain it with `framing train --out PATH` (or reinstall framing to get the bundled model)"


def metadata_path(model_path) -> Path:
    """The metadata file that must sit beside a model file: same name, ``.json`` suffix."""
    return Path(model_path).with_suffix(".json")


def scorer_path(model_path) -> Path:
    """The compiled score tables beside a model file: same name, ``.npz`` suffix."""
    return Path(model_path).with_suffix(".npz")


def file_sha256(path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def installed_version(dist: str) -> str:
    """A distribution's installed version, read without importing it (scikit-learn is slow to import)."""
    try:
        return _dist.version(dist)
    except _dist.PackageNotFoundError:
        return "not installed"


def library_versions() -> dict:
    """Versions of what a model is built with; checked again at load."""
    from . import __version__

    return {
        "framing": __version__,
        "python": platform.python_version(),
        **{name: installed_version(name) for name in ("scikit-learn", "numpy", "scipy", "joblib", "unidecode")},
    }


def _minor(version: str) -> tuple:
    return tuple(version.split(".")[:2])


def _verify(path: Path, expected: str | None, meta_name: str) -> None:
    if not path.is_file():
        raise ModelError(f"{path.name} is missing beside {meta_name}; {_FIX}")
    actual = file_sha256(path)
    if actual != expected:
        raise ModelError(
            f"refusing to load {path}: its sha256 {actual[:12]}... does not match the "
            f"{expected and expected[:12]}... recorded in {meta_name} (a corrupted, truncated or "
            "replaced file; unpickling an untrusted file can run arbitrary code); " + _FIX
        )


def read_metadata(model_path) -> dict:
    """Read the metadata of a model and check every file it names, before anything is loaded.

    Raises
    ------
    ModelError
        Missing file or metadata, a hash mismatch, other labels, or a model built
        with another scikit-learn minor version than the one installed.
    """
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
        raise ModelError(f"{meta_path} is not framing model metadata of format {FORMAT_VERSION}; {_FIX}")
    if tuple(meta.get("labels", ())) != LABELS:
        raise ModelError(f"{model_path} predicts labels {meta.get('labels')}, framing uses {list(LABELS)}; {_FIX}")
    _verify(model_path, meta.get("model_sha256"), meta_path.name)
    if meta.get("scorer_sha256"):
        _verify(scorer_path(model_path), meta["scorer_sha256"], meta_path.name)
    built = meta.get("versions", {}).get("scikit-learn", "unknown")
    installed = installed_version("scikit-learn")
    if _minor(built) != _minor(installed):
        raise ModelError(
            f"{model_path} was built with scikit-learn {built}, but {installed} is installed; "
            f"pickled scikit-learn models do not carry across versions. Either "
            f"`pip install 'scikit-learn=={built}'` or {_FIX}"
        )
    return meta


def load_scorer(model_path, meta: dict):
    """The compiled score tables of a verified model, or None when it has none."""
    if not meta.get("scorer_sha256"):
        return None
    from .scorer import LinearScorer

    try:
        scorer = LinearScorer.load(scorer_path(model_path))
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"cannot read {scorer_path(model_path)}: {exc}; {_FIX}") from None
    if set(scorer.classes_.tolist()) != set(LABELS):
        raise ModelError(f"{model_path} predicts {scorer.classes_.tolist()}, framing uses {list(LABELS)}; {_FIX}")
    return scorer


def load_pipeline(model_path, meta: dict):
    """Unpickle the pipeline of a model whose metadata :func:`read_metadata` has checked."""
    _verify(Path(model_path), meta.get("model_sha256"), metadata_path(model_path).name)
    import joblib

    try:
        pipeline = joblib.load(model_path)
    except Exception as exc:  # a verified file that still fails is broken: say so, whatever broke
        raise ModelError(f"cannot load {model_path}: {type(exc).__name__}: {exc}; {_FIX}") from None
    classes = getattr(pipeline, "classes_", None)
    if classes is None or not hasattr(pipeline, "predict_proba"):
        raise ModelError(f"{model_path} does not hold a trained framing pipeline; {_FIX}")
    if set(classes) != set(LABELS):
        raise ModelError(f"{model_path} predicts {list(classes)}, framing uses {list(LABELS)}; {_FIX}")
    return pipeline


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
    """Write a model, its compiled tables and its metadata (with both sha256), each atomically.

    The metadata goes last: a run cut in between leaves files whose hashes
    disagree with it, which :func:`read_metadata` refuses loudly.
    """
    import joblib

    from .scorer import LinearScorer

    model_path = Path(model_path)
    _atomic_write(model_path, lambda f: joblib.dump(pipeline, f, compress=3))
    meta = dict(metadata)
    meta["format_version"] = FORMAT_VERSION
    meta["labels"] = list(LABELS)
    meta["model_sha256"] = file_sha256(model_path)
    meta["model_bytes"] = model_path.stat().st_size
    scorer = LinearScorer.from_pipeline(pipeline)
    if scorer is not None:
        _atomic_write(scorer_path(model_path), scorer.save)
        meta["scorer_sha256"] = file_sha256(scorer_path(model_path))
        meta["scorer_bytes"] = scorer_path(model_path).stat().st_size
    text = json.dumps(meta, indent=2, ensure_ascii=False) + "\n"
    _atomic_write(metadata_path(model_path), lambda f: f.write(text.encode("utf-8")))
    return meta
