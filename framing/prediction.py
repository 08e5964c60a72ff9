"""Result objects: one paragraph's Prediction, an article's ArticleFraming, an Explanation."""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from .labels import LABELS

__all__ = ["Prediction", "ArticleFraming", "Explanation", "Scores", "split_paragraphs", "article_label"]


class Scores(Mapping):
    """A read-only mapping of each label to a number, in ``LABELS`` order.

    Unlike a ``dict`` it is hashable, and unlike a ``MappingProxyType`` it can
    be pickled and copied, so that results can cross process boundaries
    (``multiprocessing``, joblib, Dask). It equals any mapping with the same
    items.

    Parameters
    ----------
    values : Mapping[str, float]
        A number for every label of ``LABELS``, and nothing else.
    """

    __slots__ = ("_values",)

    def __init__(self, values):
        if not isinstance(values, Mapping):
            raise TypeError(f"expected a mapping of label -> number, got {type(values).__name__}")
        if set(values) != set(LABELS):
            raise ValueError(f"expected one number for each of {list(LABELS)}, got keys {list(values)}")
        object.__setattr__(self, "_values", tuple(float(values[label]) for label in LABELS))

    def __getitem__(self, label):
        try:
            return self._values[LABELS.index(label)]
        except ValueError:
            raise KeyError(label) from None

    def __iter__(self):
        return iter(LABELS)

    def __len__(self):
        return len(LABELS)

    def __hash__(self):
        return hash(self._values)

    def __eq__(self, other):
        if isinstance(other, Scores):
            return self._values == other._values
        return super().__eq__(other)

    def __setattr__(self, name, value):
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __reduce__(self):
        return Scores, (dict(zip(LABELS, self._values)),)

    def __repr__(self):
        return repr(dict(zip(LABELS, self._values)))


def _shorten(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


@dataclass(frozen=True, repr=False)
class Prediction:
    """How one paragraph frames AI.

    Attributes
    ----------
    text : str
        The paragraph exactly as it was given (not the normalised form).
    label : str
        One of ``framing.LABELS``.
    scores : Scores
        Probability of each label, in ``LABELS`` order; they sum to 1. Read-only.
    uncertain : bool
        True when the call asked for a ``min_confidence`` that this prediction
        does not reach. The label stays the most probable one.

    Predictions are immutable, hashable, comparable (``==``), picklable and
    copyable.
    """

    text: str
    label: str
    scores: Scores
    uncertain: bool = False

    def __post_init__(self):
        if self.label not in LABELS:
            raise ValueError(f"label must be one of {list(LABELS)}, got {self.label!r}")
        object.__setattr__(self, "scores", Scores(self.scores))
        object.__setattr__(self, "uncertain", bool(self.uncertain))

    @property
    def confidence(self) -> float:
        """Probability of the predicted label."""
        return self.scores[self.label]

    def to_dict(self) -> dict:
        return {"text": self.text, "label": self.label, "scores": dict(self.scores), "uncertain": self.uncertain}

    def __repr__(self):
        scores = ", ".join(f"{k}={v:.2f}" for k, v in self.scores.items())
        flag = ", uncertain" if self.uncertain else ""
        return f"Prediction({self.label!r}, {scores}{flag}, text={_shorten(self.text)!r})"

    def __str__(self):
        return f"{self.label} ({self.confidence:.2f}{', uncertain' if self.uncertain else ''})"


# An article leans one way when that framing leads the other by at least one
# paragraph and covers at least a quarter of the paragraphs; neutral otherwise.
ARTICLE_MIN_SHARE = 0.25


def article_label(labels) -> str:
    """The overall framing of an article from its paragraphs' labels.

    The article is ``optimistic`` (or ``critical``) when it has more optimistic
    (critical) paragraphs than critical (optimistic) ones **and** they make up at
    least a quarter of its paragraphs. Otherwise it is ``neutral``: reporting
    paragraphs do not outvote framing ones, but a lone remark in a long report
    does not frame the whole article either. An empty article is ``neutral``.
    """
    labels = list(labels)
    if not labels:
        return "neutral"
    opt, crit = labels.count("optimistic"), labels.count("critical")
    if opt == crit:
        return "neutral"
    lead, count = ("optimistic", opt) if opt > crit else ("critical", crit)
    return lead if count >= ARTICLE_MIN_SHARE * len(labels) else "neutral"


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")


def split_paragraphs(text: str) -> list[str]:
    """Split an article into paragraphs.

    On blank lines when it has any, else on line breaks; each paragraph is
    stripped and empty ones are dropped.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    parts = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    return [p.strip() for p in parts if p.strip()]


@dataclass(frozen=True, repr=False)
class ArticleFraming:
    """How a whole article frames AI: its paragraphs' predictions and the overall label."""

    paragraphs: tuple[Prediction, ...]
    label: str = field(init=False)
    shares: Scores = field(init=False)

    def __post_init__(self):
        paragraphs = tuple(self.paragraphs)
        labels = [p.label for p in paragraphs]
        n = len(labels) or 1
        object.__setattr__(self, "paragraphs", paragraphs)
        object.__setattr__(self, "shares", Scores({l: labels.count(l) / n for l in LABELS}))
        object.__setattr__(self, "label", article_label(labels))

    def __len__(self):
        return len(self.paragraphs)

    def __iter__(self):
        return iter(self.paragraphs)

    def __repr__(self):
        shares = ", ".join(f"{k}={v:.0%}" for k, v in self.shares.items())
        return f"ArticleFraming({self.label!r}, {len(self.paragraphs)} paragraphs, {shares})"


@dataclass(frozen=True, repr=False)
class Explanation:
    """The terms that pushed a prediction, with their contribution to each label's score.

    ``terms`` is a tuple of ``(term, Scores)``: each term once, strongest first
    for the predicted label. A contribution is the term's score in the model's
    tables times its count in the paragraph, divided by the paragraph's length
    and the temperature (log-odds units, before the softmax), centred across labels.
    """

    prediction: Prediction
    terms: tuple

    def __post_init__(self):
        object.__setattr__(self, "terms", tuple((str(t), Scores(c)) for t, c in self.terms))

    def __repr__(self):
        head = f"Explanation of {self.prediction!r}"
        width = max((len(t) for t, _ in self.terms), default=4)
        rows = [f"  {'term':<{width}}  " + "  ".join(f"{l:>10}" for l in LABELS)]
        for term, contrib in self.terms:
            rows.append(f"  {term:<{width}}  " + "  ".join(f"{contrib[l]:>+10.3f}" for l in LABELS))
        return "\n".join([head, *rows])
