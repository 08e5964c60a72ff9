"""framing report: the HTML's numbers are the classified rows' shares; one chart per section; atomic."""
import csv
import datetime as dt
import json
import sys
from collections import Counter, defaultdict
from html.parser import HTMLParser

import pytest

import framing

from conftest import run_cli

pytest.importorskip("matplotlib", reason="the optional 'report' extra is not installed")

from framing import report  # noqa: E402  (after the skip: it draws with matplotlib)

OUTLETS = ["Le Courrier", "L'Éclaireur", "La Gazette"]


class Page(HTMLParser):
    """Sections of the report: for each, its figures, svgs and tables (rows of cell texts)."""

    def __init__(self, document):
        super().__init__()
        self.sections, self.current, self.tags = {}, None, Counter()
        self._cell = self._row = None
        self.feed(document)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags[tag] += 1
        for name in ("src", "href"):
            assert name not in attrs, f"<{tag} {name}=...>: the report must not load anything"
        if tag == "section":
            self.current = self.sections[attrs["id"]] = {"figure": 0, "svg": 0, "tables": []}
        elif self.current is None:
            return
        elif tag in ("figure", "svg"):
            self.current[tag] += 1
        elif tag == "table":
            self.current["tables"].append([])
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.current["tables"][-1].append(self._row)
            self._row = None
        elif tag == "section":
            self.current = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _table_counts(table):
    """{first cell: (n, {label: count})} of a count table, checking each share against its count."""
    header, *rows = table
    labels = header[2:]
    assert labels == list(framing.LABELS)
    out = {}
    for row in rows:
        n = int(row[1].replace(",", ""))
        counts = {}
        for label, cell in zip(labels, row[2:]):
            count, share = cell.split(" ")
            counts[label] = int(count.replace(",", ""))
            assert share == f"({counts[label] / n:.1%})"
        assert sum(counts.values()) == n
        out[row[0]] = (n, counts)
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, corpus_records):
    """A dated corpus of 90 real paragraphs from three outlets, as CSV, with its expected labels."""
    records = corpus_records[::60][:90]
    rows = []
    for i, r in enumerate(records):
        date = dt.date(2024, 1, 1) + dt.timedelta(days=9 * i)
        rows.append({"id": i, "date": date.isoformat(), "outlet": OUTLETS[i % 3], "text": r.text})
    path = tmp_path_factory.mktemp("report") / "corpus.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, ["id", "date", "outlet", "text"])
        writer.writeheader()
        writer.writerows(rows)
    predictions = framing.classify([r["text"] for r in rows])
    return path, rows, predictions


def _report(tmp_path, *args):
    out = tmp_path / "report.html"
    proc = run_cli("report", *args, "-o", out)
    assert proc.returncode == 0, proc.stderr.decode()
    return out.read_text(encoding="utf-8")


@pytest.mark.slow
def test_report_numbers_equal_the_classified_rows(tmp_path, corpus):
    path, rows, predictions = corpus
    document = _report(tmp_path, path, "--date-column", "date", "--group-column", "outlet",
                       "--min-confidence", "0.8")
    page = Page(document)
    assert list(page.sections) == ["overall", "time", "groups", "confidence", "examples", "method"]
    for name in ("overall", "time", "groups", "confidence"):
        assert page.sections[name]["figure"] == 1 and page.sections[name]["svg"] == 1, name
    assert page.tags["script"] == 0 and page.tags["img"] == 0 and page.tags["link"] == 0

    labels = [p.label for p in predictions]
    overall = _table_counts(page.sections["overall"]["tables"][0])
    assert overall == {"all paragraphs": (len(rows), {l: labels.count(l) for l in framing.LABELS})}

    by_month = defaultdict(Counter)
    by_outlet = defaultdict(Counter)
    for row, label in zip(rows, labels):
        by_month[row["date"][:7]][label] += 1
        by_outlet[row["outlet"]][label] += 1
    months = _table_counts(page.sections["time"]["tables"][0])
    assert list(months) == sorted(by_month)
    expected = {m: {l: c[l] for l in framing.LABELS} for m, c in by_month.items()}
    assert {m: c for m, (_, c) in months.items()} == expected
    outlets = _table_counts(page.sections["groups"]["tables"][0])
    assert {o: c for o, (_, c) in outlets.items()} == {o: {l: c[l] for l in framing.LABELS}
                                                      for o, c in by_outlet.items()}
    critical = [c["critical"] / n for n, c in outlets.values()]
    assert critical == sorted(critical, reverse=True)  # the most critical outlet first

    uncertain = sum(p.confidence < 0.8 for p in predictions)
    confidence_rows = page.sections["confidence"]["tables"][0][1:]
    assert sum(int(r[3].split(" ")[0]) for r in confidence_rows) == uncertain
    assert f"Uncertain (confidence &lt; 0.8): {uncertain:,}" in document
    # The method section reads the model's metadata, it does not restate figures.
    meta = framing.Classifier().metadata
    assert f"macro-F1 {meta['cv']['macro_f1']:.3f}" in document
    assert f"framing</dt><dd>{framing.__version__}" in document


@pytest.mark.slow
def test_report_without_optional_columns(tmp_path, corpus):
    path, rows, predictions = corpus
    page = Page(_report(tmp_path, path))
    assert list(page.sections) == ["overall", "confidence", "examples", "method"]
    assert page.sections["overall"]["figure"] == page.sections["confidence"]["figure"] == 1


@pytest.mark.slow
def test_report_on_a_labelled_file_reads_its_labels(tmp_path, corpus):
    path, rows, predictions = corpus
    labelled = tmp_path / "labelled.jsonl"
    proc = run_cli("classify", path, "--format", "jsonl", "--prefix", "f_", "-o", labelled)
    assert proc.returncode == 0, proc.stderr.decode()
    # Change one stored label: a report that reads the file must show it, one that reclassifies would not.
    lines = labelled.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    other = next(l for l in framing.LABELS if l != first["f_label"])
    first["f_label"] = other
    first.update({"f_" + l: float(l == other) for l in framing.LABELS})
    lines[0] = json.dumps(first, ensure_ascii=False)
    labelled.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page = Page(document := _report(tmp_path, labelled, "--prefix", "f_", "--group-column", "outlet"))
    expected = Counter([other] + [p.label for p in predictions[1:]])
    assert _table_counts(page.sections["overall"]["tables"][0])["all paragraphs"][1] == dict(expected)
    assert "labels and scores read from the file" in document


@pytest.mark.slow
def test_report_is_written_atomically(tmp_path, corpus):
    path, rows, _ = corpus
    bad = tmp_path / "bad.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(2, '99,le 32 juin,Le Courrier,"Un texte."')  # line 3: a date that does not exist
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "report.html"
    out.write_text("previous report", encoding="utf-8")
    proc = run_cli("report", bad, "--date-column", "date", "-o", out)
    assert proc.returncode == 2 and b"bad.csv:3: unreadable date" in proc.stderr
    assert b"Traceback" not in proc.stderr
    assert out.read_text(encoding="utf-8") == "previous report"
    assert {p.name for p in tmp_path.iterdir()} == {"bad.csv", "report.html"}  # no partial file left
    proc = run_cli("report", bad, "--date-column", "date", "-o", out, "--skip-errors")
    assert proc.returncode == 0 and b"skipped" in proc.stderr and b"bad.csv:3" in proc.stderr
    page = Page(out.read_text(encoding="utf-8"))
    assert _table_counts(page.sections["overall"]["tables"][0])["all paragraphs"][0] == len(rows)
    assert not any(p.name.endswith(".part") for p in tmp_path.iterdir())


@pytest.mark.slow
@pytest.mark.parametrize("args, message", [
    (["--date-column", "published"], b"no column 'published'"),
    (["--group-column", "author"], b"no column 'author'"),
    (["--column", "body"], b"no column 'body'"),
])
def test_report_missing_column_is_one_line(tmp_path, corpus, args, message):
    path, _, _ = corpus
    out = tmp_path / "r.html"
    proc = run_cli("report", path, *args, "-o", out)
    assert proc.returncode == 2 and message in proc.stderr and b"Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and not out.exists()


def test_summary_is_the_same_in_any_chunk_size(corpus, monkeypatch):
    path, rows, predictions = corpus
    whole = report.summarize([path], date_column="date", group_column="outlet", period="week")
    monkeypatch.setattr(report, "CHUNK_ROWS", 7)
    chunked = report.summarize([path], date_column="date", group_column="outlet", period="week")
    assert whole.counts == chunked.counts and whole.by_period == chunked.by_period
    assert whole.by_group == chunked.by_group and (whole.histogram == chunked.histogram).all()
    assert whole.counts == dict(Counter(p.label for p in predictions))
    assert all(start.weekday() == 0 for start in whole.by_period)
    assert sum(sum(c.values()) for c in whole.by_period.values()) == len(rows)


def test_examples_are_the_most_and_least_confident(corpus):
    path, rows, predictions = corpus
    summary = report.summarize([path], min_confidence=0.9)
    for label in framing.LABELS:
        mine = sorted((p for p in predictions if p.label == label), key=lambda p: -p.confidence)
        assert [e.text for e in summary.most_confident(label)] == [p.text for p in mine[:report.EXAMPLES]]
    unsure = sorted((p for p in predictions if p.confidence < 0.9), key=lambda p: p.confidence)
    assert unsure  # else the comparison below would prove nothing
    assert [e.text for e in summary.least_confident()] == [p.text for p in unsure[:report.EXAMPLES]]
    assert summary.uncertain_total == sum(p.confidence < 0.9 for p in predictions)


@pytest.mark.parametrize("value, expected", [
    ("2024-03-12", dt.date(2024, 3, 12)),
    ("2024-03-12T08:15:00+01:00", dt.date(2024, 3, 12)),
    ("2024/03/12", dt.date(2024, 3, 12)),
    ("2024-03", dt.date(2024, 3, 1)),
    ("12/03/2024", dt.date(2024, 3, 12)),
    ("12.03.2024", dt.date(2024, 3, 12)),
    ("12 mars 2024", dt.date(2024, 3, 12)),
    ("Mardi 1er août 2023", dt.date(2023, 8, 1)),
    (" 5 déc. 2025 ", dt.date(2025, 12, 5)),
])
def test_parse_date(value, expected):
    assert report.parse_date(value) == expected


@pytest.mark.parametrize("value", ["2024-02-30", "32/01/2024", "hier", "12 brumaire 2024", "2024"])
def test_unreadable_date(value):
    with pytest.raises(ValueError, match="unreadable date"):
        report.parse_date(value)


def test_periods():
    day = dt.date(2025, 1, 1)  # a Wednesday, in ISO week 2025-W01
    assert report.period_of(day, "week") == dt.date(2024, 12, 30)
    assert report.period_name(report.period_of(day, "week"), "week") == "2025-W01"
    assert report.period_of(dt.date(2025, 7, 19), "month") == dt.date(2025, 7, 1)
    assert report.period_of(dt.date(2025, 7, 19), "year") == dt.date(2025, 1, 1)
    with pytest.raises(ValueError, match="period"):
        report.CorpusSummary(period="quarter")


def test_missing_matplotlib_is_one_line(monkeypatch, corpus, tmp_path, capsys):
    from framing import cli

    # As if matplotlib were not installed, whatever earlier tests imported: every import of it,
    # or of any of its modules, now raises ImportError.
    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")] + ["matplotlib"]:
        monkeypatch.setitem(sys.modules, name, None)
    out = tmp_path / "r.html"
    assert cli.main(["report", str(corpus[0]), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert 'pip install "framing[report]"' in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_one_period_and_many_groups(tmp_path, corpus_records):
    """Edge shapes: every date in one month (no area to draw), more groups than are charted."""
    path = tmp_path / "one.jsonl"
    records = corpus_records[::100][:report.MAX_GROUPS + 10]
    path.write_text("".join(json.dumps({"text": r.text, "published": f"2025-03-{i % 28 + 1:02d}",
                                        "author": f"author {i}"}, ensure_ascii=False) + "\n"
                            for i, r in enumerate(records)), encoding="utf-8")
    summary = report.summarize([path], date_column="published", group_column="author")
    page = Page(report.render_html(summary, date_column="published", group_column="author"))
    assert page.sections["time"]["svg"] == 1 and page.sections["groups"]["svg"] == 1
    assert list(_table_counts(page.sections["time"]["tables"][0])) == ["2025-03"]
    shown = _table_counts(page.sections["groups"]["tables"][0])
    assert len(shown) == report.MAX_GROUPS and len(summary.by_group) == len(records)
