"""Training: cross-validated choice of hyper-parameters, the final fit, and the artifact.

``framing train`` and ``python -m framing.train`` run :func:`run`.
"""
from __future__ import annotations

import datetime as _dt
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_predict
from sklearn.pipeline import Pipeline

from .data import data_sha256, read_labelled
from .features import make_features
from .labels import LABELS
from .model import BUNDLED_MODEL, library_versions, save_artifact

__all__ = ["build_pipeline", "fit", "train", "default_data_dir", "PARAM_GRID", "RANDOM_STATE"]

RANDOM_STATE = 0
# Small on purpose: the regularisation strength is what moves cross-validated F1 here.
PARAM_GRID = {"classifier__C": [1.0, 3.0, 10.0, 30.0]}
_PACKAGE = Path(__file__).resolve().parent
_REPOSITORY = _PACKAGE.parent


def default_data_dir() -> Path | None:
    """The built-in corpus: ``training_data/`` of the repository, or the copy shipped in the package."""
    for candidate in (_REPOSITORY / "training_data", _PACKAGE / "training_data"):
        if candidate.is_dir() and any(candidate.rglob("*.jsonl")):
            return candidate
    return None


def in_repository() -> bool:
    """True when framing runs from its source tree (where the bundled model is rebuilt)."""
    return (_REPOSITORY / "pyproject.toml").is_file() and (_REPOSITORY / "training_data").is_dir()


def build_pipeline(C: float = 10.0, **feature_options) -> Pipeline:
    """The full, unfitted model: normalisation, features, logistic regression.

    Parameters
    ----------
    C : float
        Inverse regularisation strength of the logistic regression.
    **feature_options
        Passed to :func:`framing.features.make_features`.
    """
    features = make_features(**feature_options)
    classifier = LogisticRegression(
        C=C, class_weight="balanced", max_iter=3000, random_state=RANDOM_STATE
    )
    return Pipeline([*features.steps, ("classifier", classifier)])


def fit(texts, labels, *, folds: int = 5, n_jobs: int = 1, grid=None, log=print):
    """Pick hyper-parameters by stratified k-fold CV, report, and fit on all the data.

    Parameters
    ----------
    texts, labels : list of str
    folds : int
        Number of cross-validation folds (reduced automatically for tiny data).
    n_jobs : int
        Parallel fits during the search.
    grid : dict, optional
        Parameter grid; default :data:`PARAM_GRID`.
    log : callable
        Receives progress lines.

    Returns
    -------
    (pipeline, cv_report)
    """
    texts, labels = list(texts), np.asarray(labels)
    smallest = min(np.sum(labels == label) for label in LABELS)
    folds = max(2, min(folds, smallest))
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=RANDOM_STATE)
    min_df = 2 if len(texts) >= 200 else 1
    with tempfile.TemporaryDirectory(prefix="framing-cache-") as cache:
        # The cache reuses each fold's fitted features across values of C.
        pipeline = build_pipeline(min_df=min_df)
        pipeline.memory = cache
        search = GridSearchCV(pipeline, grid or PARAM_GRID, scoring="f1_macro", cv=cv,
                              n_jobs=n_jobs, refit=False)
        t0 = time.perf_counter()
        search.fit(texts, labels)
        params = search.best_params_
        log(f"grid search: {len(search.cv_results_['params'])} settings x {folds} folds "
            f"in {time.perf_counter() - t0:.0f}s; best {params}")
        pipeline.set_params(**params)
        logits = cross_val_predict(pipeline, texts, labels, cv=cv, n_jobs=n_jobs, method="decision_function")
        pipeline.fit(texts, labels)
        pipeline.memory = None
    classes = list(pipeline.classes_)
    predicted = np.asarray(classes)[logits.argmax(axis=1)]
    y = np.array([classes.index(label) for label in labels])
    temperature = fit_temperature(logits, y)
    # Calibration: dividing the weights by T leaves every decision as it is and makes the
    # probabilities honest (expected calibration error measured on held-out folds).
    model = pipeline[-1]
    model.coef_ = model.coef_ / temperature
    model.intercept_ = model.intercept_ / temperature
    raw, calibrated = softmax(logits), softmax(logits / temperature)
    p, r, f, s = precision_recall_fscore_support(labels, predicted, labels=list(LABELS), zero_division=0)
    best = search.best_index_
    report = {
        "folds": folds,
        "params": {k: float(v) if isinstance(v, (int, float)) else v for k, v in params.items()},
        "macro_f1": round(float(f1_score(labels, predicted, labels=list(LABELS), average="macro")), 4),
        "macro_f1_fold_mean": round(float(search.cv_results_["mean_test_score"][best]), 4),
        "macro_f1_fold_std": round(float(search.cv_results_["std_test_score"][best]), 4),
        "per_label": {
            label: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                    "f1": round(float(f[i]), 4), "support": int(s[i])}
            for i, label in enumerate(LABELS)
        },
        "confusion": confusion_matrix(labels, predicted, labels=list(LABELS)).tolist(),
        "calibration": {
            "temperature": round(float(temperature), 4),
            "ece_before": round(expected_calibration_error(raw, y), 4),
            "ece": round(expected_calibration_error(calibrated, y), 4),
            "reliability": reliability_table(calibrated, y),
        },
    }
    return pipeline, report


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature T that minimises the log-loss of softmax(logits / T) (held-out logits)."""
    from scipy.optimize import minimize_scalar

    rows = np.arange(len(y))

    def nll(log_t):
        p = softmax(logits / np.exp(log_t))
        return -np.mean(np.log(np.clip(p[rows, y], 1e-12, None)))

    return float(np.exp(minimize_scalar(nll, bounds=(-3, 3), method="bounded").x))


def expected_calibration_error(proba: np.ndarray, y: np.ndarray, bins: int = 10) -> float:
    """Mean |accuracy - confidence| over equal-width confidence bins, weighted by bin size."""
    confidence = proba.max(axis=1)
    correct = proba.argmax(axis=1) == y
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    ece = 0.0
    for b in range(bins):
        inside = which == b
        if inside.any():
            ece += inside.mean() * abs(correct[inside].mean() - confidence[inside].mean())
    return float(ece)


def reliability_table(proba: np.ndarray, y: np.ndarray, bins: int = 10) -> list:
    """Rows of (confidence range, paragraphs, mean confidence, accuracy) for non-empty bins."""
    confidence = proba.max(axis=1)
    correct = proba.argmax(axis=1) == y
    which = np.minimum((confidence * bins).astype(int), bins - 1)
    rows = []
    for b in range(bins):
        inside = which == b
        if inside.any():
            rows.append({"range": f"{b / bins:.1f}-{(b + 1) / bins:.1f}", "n": int(inside.sum()),
                         "confidence": round(float(confidence[inside].mean()), 3),
                         "accuracy": round(float(correct[inside].mean()), 3)})
    return rows


def format_report(report: dict) -> str:
    """A cross-validation report as a person reads it."""
    lines = [f"{'':12}{'precision':>10}{'recall':>10}{'f1':>10}{'support':>10}"]
    for label, m in report["per_label"].items():
        lines.append(f"{label:12}{m['precision']:10.3f}{m['recall']:10.3f}{m['f1']:10.3f}{m['support']:10d}")
    lines.append(f"macro-F1 {report['macro_f1']:.3f} ({report['folds']}-fold cross-validation; "
                 f"fold mean {report['macro_f1_fold_mean']:.3f} ± {report['macro_f1_fold_std']:.3f})")
    lines.append("confusion (rows true, columns predicted): " + " ".join(LABELS))
    for label, row in zip(LABELS, report["confusion"]):
        lines.append(f"  {label:12}" + "".join(f"{v:8d}" for v in row))
    lines.append(f"chosen hyper-parameters: {report['params']}")
    cal = report.get("calibration")
    if cal:
        lines.append(f"calibration: temperature {cal['temperature']:.2f}; expected calibration error "
                     f"{cal['ece_before']:.3f} -> {cal['ece']:.3f} (held-out folds)")
    return "\n".join(lines)


def training_sources(data=None, add=None) -> list:
    """What to train on: ``data`` (default: the built-in corpus), then everything in ``add``."""
    sources = list(data) if data else []
    if not sources:
        builtin = default_data_dir()
        if builtin is None:
            raise ValueError("no built-in training_data/ found: pass --data FILE_OR_FOLDER")
        sources = [builtin]
    return sources + list(add or [])


def train(data=None, *, add=None, out=None, folds: int = 5, n_jobs: int = 1, log=print) -> dict:
    """Validate the data, cross-validate, fit and write a model with its metadata.

    Parameters
    ----------
    data : list of paths, optional
        Training files or folders; default: the built-in corpus.
    add : list of paths, optional
        Extra files appended to ``data`` (or to the built-in corpus).
    out : path, optional
        Where to write the model; default: the bundled model, when run in the repository.

    Returns
    -------
    dict
        The metadata written beside the model.

    Raises
    ------
    DataError
        When validation fails (nothing is written).
    ValueError
        When there is no default corpus or output path to use.
    """
    sources = training_sources(data, add)
    if out is None:
        if not in_repository():
            raise ValueError("outside the framing repository, say where to write the model: --out PATH")
        out = BUNDLED_MODEL
    out = Path(out)
    records = read_labelled(sources)
    counts = {label: sum(r.label == label for r in records) for label in LABELS}
    missing = [label for label, n in counts.items() if n < 2]
    if missing:
        raise ValueError(f"every label needs at least 2 paragraphs to train; too few: {', '.join(missing)}")
    log(f"{len(records)} paragraphs from {len(sources)} source(s): {counts}")
    pipeline, report = fit([r.text for r in records], [r.label for r in records],
                           folds=folds, n_jobs=n_jobs, log=log)
    log(format_report(report))
    meta = {
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "versions": library_versions(),
        "data": {
            "sha256": data_sha256(records),
            "n_records": len(records),
            "label_counts": counts,
            "sources": [_display(s) for s in sources],
        },
        "cv": report,
    }
    meta = save_artifact(pipeline, meta, out)
    log(f"model written to {out} ({meta['model_bytes'] / 1e6:.1f} MB) with {out.with_suffix('.json').name}")
    return meta


def _display(path) -> str:
    path = Path(path).resolve()
    try:
        return str(path.relative_to(_REPOSITORY))
    except ValueError:
        return str(path)


if __name__ == "__main__":  # python -m framing.train: the same as `framing train`
    from .cli import main

    sys.exit(main(["train", *sys.argv[1:]]))
