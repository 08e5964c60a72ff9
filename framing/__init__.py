"""framing: how French news paragraphs frame artificial intelligence.

>>> import framing
>>> framing.classify("L'IA n'est pas une menace pour l'emploi, conclut l'étude.")  # doctest: +SKIP
Prediction('optimistic', optimistic=0.97, critical=0.00, neutral=0.02, text="L'IA n'est pas une menace pour…")

The bundled model loads lazily on the first call, once, thread-safely.
Use :class:`Classifier` to load another model file.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import overload

__version__ = "0.2.0"  # the one place the version is written (pyproject.toml reads it)

from .classifier import Classifier, default_classifier  # noqa: E402
from .errors import DataError, FramingError, InputError, ModelError  # noqa: E402
from .frame import classify_frame  # noqa: E402  (pandas is imported only when it is called)
from .labels import LABELS  # noqa: E402
from .prediction import ArticleFraming, Explanation, Prediction, Scores  # noqa: E402

__all__ = [
    "LABELS",
    "classify",
    "classify_article",
    "classify_frame",
    "explain",
    "Classifier",
    "Prediction",
    "ArticleFraming",
    "Explanation",
    "Scores",
    "FramingError",
    "InputError",
    "ModelError",
    "DataError",
    "__version__",
]


@overload
def classify(texts: str, *, n_jobs: int | None = None, min_confidence: float | None = None) -> Prediction: ...


@overload
def classify(texts: Iterable[str], *, n_jobs: int | None = None,
             min_confidence: float | None = None) -> list[Prediction]: ...


def classify(texts, *, n_jobs=None, min_confidence=None):
    """Label a paragraph (str) or a batch of paragraphs (iterable of str) with the bundled model.

    ``n_jobs`` spreads a large batch over processes (-1: every core);
    ``min_confidence`` marks less confident predictions ``uncertain``.
    See :meth:`Classifier.classify`.
    """
    return default_classifier().classify(texts, n_jobs=n_jobs, min_confidence=min_confidence)


def classify_article(text: str) -> ArticleFraming:
    """Classify every paragraph of an article and give its overall framing.

    See :meth:`Classifier.classify_article`.
    """
    return default_classifier().classify_article(text)


def explain(text: str, top: int = 8) -> Explanation:
    """The terms that pushed the bundled model's decision on ``text``.

    See :meth:`Classifier.explain`.
    """
    return default_classifier().explain(text, top=top)
