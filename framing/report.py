"""A corpus at a glance: label shares overall, over time, by group, confidence, examples; as one HTML file.

:func:`summarize` streams corpus files (CSV/TSV/JSONL, raw or already labelled
by ``framing classify``) into a :class:`CorpusSummary`, which holds counts only
(and a few examples), so memory stays flat whatever the corpus size.
:func:`write_report` renders it as a single self-contained HTML file: charts
are inline SVG drawn by :mod:`framing.charts` with matplotlib (the ``report``
extra), no script, no network. ``framing report`` runs both.
"""
from __future__ import annotations

import datetime as dt
import heapq
import html
import itertools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import charts
from .charts import COLORS, require_matplotlib
from .corpus import CORPUS_FORMATS, InputError, atomic_output, read_rows
from .labels import LABELS

__all__ = ["CorpusSummary", "Example", "summarize", "render_html", "write_report", "parse_date",
           "period_of", "period_name", "require_matplotlib", "PERIODS", "DEFAULT_MIN_CONFIDENCE",
           "MAX_GROUPS"]

PERIODS = ("week", "month", "year")
# Below this confidence a paragraph counts as uncertain in the report: on the dev set, predictions
# above 0.6 were right 93% of the time, those below it 41% (README, "Acting on confidence").
DEFAULT_MIN_CONFIDENCE = 0.6
EXAMPLES = 5
MAX_GROUPS = 25  # the largest groups charted; a chart of hundreds of authors is unreadable
BINS = np.linspace(1 / 3, 1.0, 21)  # a 3-label prediction's confidence is at least 1/3
CHUNK_ROWS = 2000
NO_GROUP = "(none)"
MAX_EXAMPLE_CHARS = 700
LONG_TABLE = 40  # rows of a period table above which it is folded

_MONTHS = {name: n for n, names in enumerate([
    ("janvier", "janv"), ("fevrier", "février", "fevr", "févr"), ("mars",), ("avril", "avr"), ("mai",),
    ("juin",), ("juillet", "juil"), ("aout", "août"), ("septembre", "sept"), ("octobre", "oct"),
    ("novembre", "nov"), ("decembre", "décembre", "dec", "déc")], 1) for name in names}
_ISO = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[t ].*)?$")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{1,2})$")
_DMY = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})(?: .*)?$")
_FRENCH = re.compile(r"(?:[a-zé]+\.? )?(\d{1,2})(?:er)? ([a-zéû]+)\.? (\d{4})(?:\b.*)?$")


def parse_date(value: str) -> dt.date:
    """A date from the forms press exports use.

    ``2024-03-12`` (a time after it is ignored), ``2024/03/12``, ``2024-03``
    (the 1st), ``12/03/2024`` and ``12.03.2024`` (day first, the French way),
    ``12 mars 2024`` and ``mardi 12 mars 2024``.

    Raises
    ------
    ValueError
        When the value is none of these, or not a real date.
    """
    text = value.strip().lower()
    try:
        if m := _ISO.match(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _ISO_MONTH.match(text):
            return dt.date(int(m[1]), int(m[2]), 1)
        if m := _DMY.match(text):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
        if (m := _FRENCH.match(text)) and m[2] in _MONTHS:
            return dt.date(int(m[3]), _MONTHS[m[2]], int(m[1]))
    except ValueError:
        pass  # 2024-02-31: the form is right, the date is not
    raise ValueError(f"unreadable date {value!r} (expected e.g. 2024-03-12, 12/03/2024 or 12 mars 2024)")


def period_of(date: dt.date, period: str) -> dt.date:
    """The first day of the week (Monday), month or year that ``date`` falls in."""
    if period == "week":
        return date - dt.timedelta(days=date.weekday())
    if period == "month":
        return date.replace(day=1)
    if period == "year":
        return date.replace(month=1, day=1)
    raise ValueError(f"period must be one of {', '.join(PERIODS)}, got {period!r}")


def period_name(start: dt.date, period: str) -> str:
    if period == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.strftime("%Y-%m") if period == "month" else str(start.year)


@dataclass(frozen=True)
class Example:
    """A paragraph shown in the report, with where it was read."""

    text: str
    label: str
    scores: tuple
    where: str
    date: str | None = None
    group: str | None = None

    @property
    def confidence(self) -> float:
        return max(self.scores)


@dataclass
class CorpusSummary:
    """Counts of a corpus's labels, overall, per period and per group, and a few examples.

    Parameters
    ----------
    period : {"week", "month", "year"}
    min_confidence : float
        Paragraphs whose confidence is below it count as uncertain.
    """

    period: str = "month"
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    counts: dict = field(default_factory=lambda: dict.fromkeys(LABELS, 0))
    uncertain: dict = field(default_factory=lambda: dict.fromkeys(LABELS, 0))
    confidence_sum: dict = field(default_factory=lambda: dict.fromkeys(LABELS, 0.0))
    histogram: np.ndarray = field(default_factory=lambda: np.zeros((len(LABELS), len(BINS) - 1), dtype=int))
    by_period: dict = field(default_factory=dict)  # first day of the period -> counts per label
    by_group: dict = field(default_factory=dict)  # group value -> counts per label
    undated: int = 0
    skipped: int = 0
    sources: list = field(default_factory=list)  # (file, rows, "classified" or "read")
    model_path: str | None = None  # the model that classified the paragraphs (None: labels were read)
    model_metadata: dict | None = None
    _seq: int = field(default=0, init=False, repr=False)
    _top: dict = field(default_factory=lambda: {label: [] for label in LABELS}, init=False, repr=False)
    _unsure: list = field(default_factory=list, init=False, repr=False)

    def __post_init__(self):
        period_of(dt.date(2000, 1, 1), self.period)  # refuses an unknown period now
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be from 0 to 1, got {self.min_confidence!r}")

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def shares(self, counts=None) -> dict:
        """Label -> fraction of ``counts`` (default: the whole corpus); zeros when it is empty."""
        counts = self.counts if counts is None else counts
        n = sum(counts.values())
        return {label: counts[label] / n if n else 0.0 for label in LABELS}

    @property
    def uncertain_total(self) -> int:
        return sum(self.uncertain.values())

    def add(self, label: str, scores, *, text: str = "", where: str = "", date: dt.date | None = None,
            group: str | None = None, dated: bool = False) -> None:
        """Count one paragraph. ``scores`` are its probabilities in ``LABELS`` order.

        ``dated`` says that the corpus has a date column: a paragraph without a
        date then counts as undated.
        """
        scores = tuple(float(s) for s in scores)
        confidence = scores[LABELS.index(label)]
        self.counts[label] += 1
        self.confidence_sum[label] += confidence
        k = min(np.searchsorted(BINS, confidence, side="right") - 1, len(BINS) - 2)
        self.histogram[LABELS.index(label), max(k, 0)] += 1
        if date is not None:
            key = period_of(date, self.period)
            self.by_period.setdefault(key, dict.fromkeys(LABELS, 0))[label] += 1
        elif dated:
            self.undated += 1
        if group is not None:
            self.by_group.setdefault(group, dict.fromkeys(LABELS, 0))[label] += 1
        self._seq += 1
        example = None
        # Bounded heaps: the most confident paragraphs of each label, the least confident overall.
        # On equal confidence the earlier paragraph is kept.
        top = self._top[label]
        if len(top) < EXAMPLES or (confidence, -self._seq) > top[0][:2]:
            example = Example(text, label, scores, where, date and date.isoformat(), group)
            item = (confidence, -self._seq, example)
            heapq.heappush(top, item) if len(top) < EXAMPLES else heapq.heapreplace(top, item)
        if confidence < self.min_confidence:
            self.uncertain[label] += 1
            if len(self._unsure) < EXAMPLES or (-confidence, -self._seq) > self._unsure[0][:2]:
                example = example or Example(text, label, scores, where, date and date.isoformat(), group)
                item = (-confidence, -self._seq, example)
                (heapq.heappush if len(self._unsure) < EXAMPLES else heapq.heapreplace)(self._unsure, item)

    def most_confident(self, label: str) -> list[Example]:
        """Up to five paragraphs given ``label`` with the highest confidence, highest first."""
        return [e for _, _, e in sorted(self._top[label], key=lambda t: (-t[0], -t[1]))]

    def least_confident(self) -> list[Example]:
        """Up to five uncertain paragraphs, least confident first."""
        return [e for _, _, e in sorted(self._unsure, key=lambda t: (t[0], t[1]), reverse=True)]

    def periods(self) -> list[tuple[dt.date, dict]]:
        return sorted(self.by_period.items())

    def groups(self, limit: int | None = MAX_GROUPS) -> list[tuple[str, dict]]:
        """Groups by decreasing critical share (ties: larger first); only the ``limit`` largest."""
        largest = sorted(self.by_group.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        kept = largest if limit is None else largest[:limit]
        return sorted(kept, key=lambda kv: (-self.shares(kv[1])["critical"], -sum(kv[1].values()), kv[0]))


# --- reading a corpus ---------------------------------------------------------------------------------

def _format_of(path: Path, explicit: str | None) -> str:
    fmt = explicit or path.suffix.lower().lstrip(".")
    if fmt not in CORPUS_FORMATS:
        raise InputError(f"{path}: unknown corpus format (expected .csv, .tsv or .jsonl; "
                         "or say --input-format)")
    return fmt


def _score_columns(prefix: str) -> list[str]:
    return [prefix + "label", *(prefix + label for label in LABELS)]


def _read_scores(fields: dict, prefix: str):
    """(label, scores) from a row that ``framing classify`` labelled; ValueError when they are not usable."""
    label = fields.get(prefix + "label")
    if label not in LABELS:
        raise ValueError(f"'{prefix}label' is {label!r}, not one of {', '.join(LABELS)}")
    try:
        scores = [float(fields[prefix + name]) for name in LABELS]
    except (TypeError, ValueError, KeyError):
        names = ", ".join(prefix + name for name in LABELS)
        raise ValueError(f"the scores ({names}) are not all numbers") from None
    if not all(0.0 <= s <= 1.0 for s in scores) or abs(sum(scores) - 1.0) > 0.01:
        raise ValueError(f"the scores {scores} are not probabilities summing to 1")
    return label, scores


def _cell(fields: dict, column: str | None):
    """A metadata cell as text, or None when it is absent or empty."""
    if column is None:
        return None
    value = fields.get(column)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _check_header(path: Path, fields: dict, options) -> None:
    """A CSV/TSV's first complete row has every header name: refuse a named column it lacks."""
    for name, option in options:
        if name is not None and name not in fields:
            raise InputError(f"{path}:1: no column '{name}' in the header {list(fields)}; "
                             f"name it with {option}")


def _row_values(row, labelled: bool, date_column: str | None, prefix: str):
    """(date, label, scores) of a row with text; ValueError for an unreadable date or stored scores."""
    cell = _cell(row.fields, date_column)
    date = parse_date(cell) if cell is not None else None
    label, scores = _read_scores(row.fields, prefix) if labelled else (None, None)
    return date, label, scores


def summarize(paths, *, column: str = "text", date_column: str | None = None, group_column: str | None = None,
              period: str = "month", prefix: str = "", min_confidence: float = DEFAULT_MIN_CONFIDENCE,
              model=None, n_jobs: int | None = None, input_format: str | None = None,
              skip_errors: bool = False, on_skip=None) -> CorpusSummary:
    """Stream corpus files into a :class:`CorpusSummary`.

    A file whose rows already have ``label`` and the three scores (``framing
    classify`` output; with ``prefix`` if it was used) is read as labelled; any
    other file is classified, in chunks, with ``model``.

    Parameters
    ----------
    paths : list of str or Path
        CSV, TSV or JSONL files (by suffix, or all in ``input_format``).
    column : str
        The column holding the paragraphs.
    date_column, group_column : str, optional
        A date (see :func:`parse_date`) and a group (outlet, author, section...)
        for each paragraph. An empty cell counts as undated / in group "(none)".
    period : {"week", "month", "year"}
    prefix : str
        Prefix of the label and score columns of an already labelled file.
    min_confidence : float
        Below it a paragraph counts as uncertain.
    model : str, Path or Classifier, optional
        Default: the bundled model; loaded only if a file needs classifying.
    n_jobs : int, optional
        Processes for classifying (-1: every core).
    skip_errors : bool
        Leave out rows with no usable text, date or scores (passing
        ``"file:line: why"`` to ``on_skip``) instead of raising.

    Raises
    ------
    InputError
        For a missing file or column, a bad row (unless ``skip_errors``), or a
        date column in which no row has a date.
    """
    from .classifier import Classifier, cached_classifier

    summary = CorpusSummary(period=period, min_confidence=min_confidence)
    classifier = None
    for raw in paths:
        path = Path(raw)
        if not path.is_file():
            why = "is a folder, expected a file" if path.is_dir() else "no such file"
            raise InputError(f"{path}: {why}")
        fmt = _format_of(path, input_format)
        labelled = None  # decided on the file's first row with text
        rows_in_file = 0
        with open(path, "rb") as stream:
            rows = read_rows(stream, str(path), fmt, column)
            while chunk := list(itertools.islice(rows, CHUNK_ROWS)):
                todo = []  # (row, date, group, label, scores)
                for row in chunk:
                    problem = row.problem
                    if problem is None and labelled is None:
                        labelled = all(c in row.fields for c in _score_columns(prefix))
                        if fmt != "jsonl":
                            _check_header(path, row.fields, [(date_column, "--date-column"),
                                                             (group_column, "--group-column")])
                    if problem is None:
                        try:
                            date, label, scores = _row_values(row, labelled, date_column, prefix)
                        except ValueError as exc:
                            problem = str(exc)
                    if problem is not None:
                        message = f"{path}:{row.line}: {problem}"
                        if not skip_errors:
                            raise InputError(f"{message} (fix it, or pass --skip-errors to leave "
                                             "such rows out)")
                        summary.skipped += 1
                        if on_skip is not None:
                            on_skip(message)
                        continue
                    group = (_cell(row.fields, group_column) or NO_GROUP) if group_column else None
                    todo.append((row, date, group, label, scores))
                if todo and not labelled:
                    if classifier is None:
                        classifier = model if isinstance(model, Classifier) else cached_classifier(model)
                    proba = classifier.predict_proba([item[0].text for item in todo], n_jobs=n_jobs)
                    todo = [(r, d, g, LABELS[int(p.argmax())], p) for (r, d, g, _, _), p in zip(todo, proba)]
                for row, date, group, label, scores in todo:
                    summary.add(label, scores, text=row.text, where=f"{path.name}:{row.line}", date=date,
                                group=group, dated=date_column is not None)
                rows_in_file += len(todo)
        summary.sources.append((str(path), rows_in_file, "read" if labelled else "classified"))
    if summary.total == 0:
        raise InputError(f"{', '.join(map(str, paths))}: no paragraph to report on")
    if date_column is not None and not summary.by_period:
        raise InputError(f"no row has a date in '{date_column}'; check --date-column")
    if classifier is not None:
        summary.model_path, summary.model_metadata = str(classifier.model_path), classifier.metadata
    return summary


# --- HTML --------------------------------------------------------------------------------------------------

CSS = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: #222; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem;
  border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; }
.lead { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.9rem; }
th, td { padding: 0.25rem 0.7rem; border-bottom: 1px solid #e3e3e3; text-align: right; }
th:first-child, td:first-child { text-align: left; }
th { background: #f5f5f5; }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 2px; margin-right: 0.3em;
  vertical-align: -0.05em; }
.example { border-left: 4px solid #ccc; padding: 0.3rem 0.8rem; margin: 0.6rem 0; }
.example p { margin: 0.2rem 0; } .meta { color: #666; font-size: 0.85rem; }
.note { color: #555; font-size: 0.9rem; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; font-size: 0.9rem; }
dt { color: #555; } dd { margin: 0; }
@media print { body { margin: 0; max-width: none; font-size: 11pt; } figure, .example, tr
  { break-inside: avoid; } h2, h3 { break-after: avoid; } }
"""


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _short(text: str, width: int) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _paragraphs(n: int) -> str:
    return f"{n:,} paragraph" + ("" if n == 1 else "s")


def _be(n: int) -> str:
    return "is" if n == 1 else "are"


def _pct(x: float) -> str:
    return f"{x:.1%}"


def _label(label: str) -> str:
    return f'<span class="swatch" style="background:{COLORS[label]}"></span>{_e(label)}'


def _count_table(first: str, rows) -> str:
    """Rows of (name, counts): n, then each label's count and share."""
    head = "".join(f"<th>{_label(l)}</th>" for l in LABELS)
    body = []
    for name, counts in rows:
        n = sum(counts.values())
        cells = "".join(f"<td>{counts[l]:,} ({_pct(counts[l] / n if n else 0)})</td>" for l in LABELS)
        body.append(f"<tr><td>{_e(name)}</td><td>{n:,}</td>{cells}</tr>")
    return f"<table><thead><tr><th>{_e(first)}</th><th>paragraphs</th>{head}</tr></thead><tbody>" \
           + "".join(body) + "</tbody></table>"


def _example(example: Example) -> str:
    scores = ", ".join(f"{l} {s:.2f}" for l, s in zip(LABELS, example.scores))
    meta = [example.where, *(v for v in (example.date, example.group) if v)]
    return (f'<div class="example" style="border-color:{COLORS[example.label]}">'
            f"<p>{_e(_short(example.text, MAX_EXAMPLE_CHARS))}</p>"
            f'<p class="meta">{_label(example.label)} · confidence {example.confidence:.2f} ({scores}) · '
            f"{_e(' · '.join(meta))}</p></div>")


def _shares_matrix(counts_list) -> np.ndarray:
    """labels x items: each item's label shares."""
    return np.array([[c[label] / (sum(c.values()) or 1) for label in LABELS] for c in counts_list]).T


def _time_chart(summary: CorpusSummary) -> str:
    periods = summary.periods()
    return charts.over_time([start for start, _ in periods], _shares_matrix([c for _, c in periods]),
                            [sum(c.values()) for _, c in periods], summary.period)


def _group_chart(groups) -> str:
    return charts.by_group([name for name, _ in groups], _shares_matrix([c for _, c in groups]),
                           [sum(c.values()) for _, c in groups])


def _model_facts(metadata: dict | None) -> list[tuple[str, str]]:
    if not metadata:
        return [("model", "none: every label was read from the input")]
    cv = metadata.get("cv", {})
    facts = [("model built", str(metadata.get("created", "unknown")))]
    data = metadata.get("data", {})
    if data.get("n_records"):
        facts.append(("trained on", f"{data['n_records']:,} hand-labelled paragraphs"))
    if cv.get("macro_f1") is not None:
        per_label = cv.get("per_label", {})
        detail = ", ".join(f"{l} {per_label[l]['f1']:.3f}" for l in LABELS if l in per_label)
        facts.append(("measured accuracy",
                      f"macro-F1 {cv['macro_f1']:.3f} in {cv.get('folds', '?')}-fold cross-validation on its "
                      f"training corpus" + (f" (F1: {detail})" if detail else "")
                      + "; expect lower on text unlike it, see the framing README"))
    calibration = cv.get("calibration", {})
    if calibration.get("ece") is not None:
        facts.append(("calibration", f"expected calibration error {calibration['ece']:.3f}: "
                                     "a confidence of 0.8 is right about 80% of the time"))
    return facts


def render_html(summary: CorpusSummary, *, title: str = "How the corpus frames AI",
                date_column: str | None = None, group_column: str | None = None,
                created: dt.datetime | None = None) -> str:
    """The report as one HTML document (str): sections, tables and inline SVG charts.

    The model facts come from ``summary.model_metadata`` (the metadata file
    written by ``framing train``), when the paragraphs were classified now.
    """
    from . import __version__

    created = created or dt.datetime.now(dt.timezone.utc)
    n, shares = summary.total, summary.shares()
    threshold = summary.min_confidence
    parts = [f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
             f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
             f"<title>{_e(title)}</title><style>{CSS}</style></head><body>",
             f"<header><h1>{_e(title)}</h1>"
             f"<p class=\"lead\">{n:,} paragraphs labelled <em>optimistic</em>, <em>critical</em> or "
             f"<em>neutral</em> by how they frame artificial intelligence · framing {_e(__version__)} · "
             f"{created:%Y-%m-%d}</p></header>"]

    lead = max(LABELS, key=lambda l: shares[l])
    parts.append(
        f'<section id="overall"><h2>Overall</h2>'
        f"<p>{n:,} paragraphs: {', '.join(f'{_pct(shares[l])} {l}' for l in LABELS)}. "
        f"The most frequent framing is <strong>{_e(lead)}</strong>. {_paragraphs(summary.uncertain_total)} "
        f"({_pct(summary.uncertain_total / n)}) {_be(summary.uncertain_total)} <em>uncertain</em>: "
        f"the probability of the label the model chose is below {threshold:g}.</p>"
        f"<figure>{charts.overall(shares)}</figure>"
        + _count_table("corpus", [("all paragraphs", summary.counts)])
        + f"<p class=\"note\">Uncertain (confidence &lt; {threshold:g}): {summary.uncertain_total:,} "
        f"({_pct(summary.uncertain_total / n)}).</p></section>")

    if summary.by_period:
        periods = summary.periods()
        undated = (f" {_paragraphs(summary.undated)} without a date {_be(summary.undated)} "
                   "counted only in the other sections." if summary.undated else "")
        step = summary.period
        table = _count_table(step, [(period_name(start, step), counts) for start, counts in periods])
        if len(periods) > LONG_TABLE:  # a long table stays one click away (and out of print)
            table = f"<details><summary>The table: {len(periods)} {step}s</summary>{table}</details>"
        parts.append(
            f'<section id="time"><h2>Over time, by {step}</h2>'
            f"<p>Share of each framing per {step} (date column <code>{_e(date_column or '')}</code>), "
            f"above; paragraphs per {step}, below. Periods with few paragraphs swing by chance: "
            f"read the counts before the shares.{undated}</p>"
            f"<figure>{_time_chart(summary)}</figure>{table}</section>")

    if summary.by_group:
        groups = summary.groups()
        hidden = len(summary.by_group) - len(groups)
        more = (f" Only the {len(groups)} largest of {len(summary.by_group):,} groups are shown."
                if hidden else "")
        parts.append(
            f'<section id="groups"><h2>By {_e(group_column or "group")}</h2>'
            f"<p>Share of each framing per {_e(group_column or 'group')}, the most critical first.{more}</p>"
            f"<figure>{_group_chart(groups)}</figure>"
            + _count_table(group_column or "group", groups) + "</section>")

    rows = []
    for label in LABELS:
        count = summary.counts[label]
        mean = summary.confidence_sum[label] / count if count else math.nan
        unsure = summary.uncertain[label]
        rows.append(f"<tr><td>{_label(label)}</td><td>{count:,}</td><td>{mean:.2f}</td>"
                    f"<td>{unsure:,} ({_pct(unsure / count if count else 0)})</td></tr>")
    chart = charts.confidence(summary.histogram, BINS, summary.counts, threshold)
    parts.append(
        f'<section id="confidence"><h2>How confident the model was</h2>'
        f"<p>Distribution of the probability the model gave each paragraph's label; the dashed line is the "
        f"uncertainty threshold ({threshold:g}). A calibrated model is right about as often as it is "
        f"confident, so mass near 1 means reliable labels, mass near the left means paragraphs to read "
        f"by hand.</p><figure>{chart}</figure>"
        "<table><thead><tr><th>label</th><th>paragraphs</th><th>mean confidence</th><th>uncertain</th></tr>"
        "</thead><tbody>" + "".join(rows) + "</tbody></table></section>")

    examples = ['<section id="examples"><h2>Examples</h2>']
    for label in LABELS:
        examples.append(f"<h3>The most confidently {_e(label)} paragraphs</h3>")
        examples += [_example(e) for e in summary.most_confident(label)] or ["<p class=\"note\">None.</p>"]
    examples.append("<h3>Uncertain paragraphs (the least confident)</h3>")
    examples += [_example(e) for e in summary.least_confident()] or [
        f"<p class=\"note\">None below {threshold:g}.</p>"]
    examples.append("</section>")
    parts.append("".join(examples))

    facts = [("framing", __version__), ("report made", f"{created:%Y-%m-%d %H:%M} UTC")]
    if summary.model_path:
        from .model import BUNDLED_MODEL

        bundled = Path(summary.model_path).resolve() == BUNDLED_MODEL
        facts.append(("model", "the one bundled with framing" if bundled else summary.model_path))
    facts += _model_facts(summary.model_metadata)
    for source, rows_in, how in summary.sources:
        how = "labels and scores read from the file" if how == "read" else "classified now"
        facts.append(("input", f"{source}: {rows_in:,} paragraphs, {how}"))
    if summary.skipped:
        facts.append(("left out", f"{summary.skipped:,} rows with no usable text, date or scores"))
    facts.append(("uncertain", f"confidence below {threshold:g}"))
    facts.append(("paragraph label", "the most probable of optimistic, critical, neutral; "
                                     "see the framing README for what each means"))
    parts.append('<section id="method"><h2>How these figures were made</h2><dl>'
                 + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in facts) + "</dl></section>")
    parts.append("</body></html>\n")
    return "\n".join(parts)


def write_report(summary: CorpusSummary, path, **options) -> None:
    """Render ``summary`` (see :func:`render_html`) and write it to ``path`` atomically."""
    document = render_html(summary, **options)
    with atomic_output(path) as out:
        out.write(document)
