"""The CLI for a researcher: --min-confidence, the article's label in every format, evaluate's options."""
import csv
import io
import json

import pytest

import framing

from conftest import run_cli

pytestmark = pytest.mark.slow

ARTICLE = (
    "Un algorithme pour trier les urgences\n\n"
    "L'hôpital a présenté lundi son nouvel outil de tri, développé avec une start-up lyonnaise.\n\n"
    "Les soignants dénoncent une machine opaque qui décide à leur place, au mépris des patients."
)
TEXTS = [
    "Une avancée majeure, se réjouissent les chercheurs : l'outil repère les tumeurs plus tôt.",
    "Une dérive inquiétante.",
    "Le rapport, publié hier, compte 80 pages.",
    "Certes, l'outil fait gagner du temps, mais il invente des références.",
]


def _ok(proc):
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode("utf-8")


def _write_csv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


# --- classify --min-confidence -------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_corpus_min_confidence_adds_uncertain(tmp_path, fmt):
    src = tmp_path / "corpus.csv"
    _write_csv(src, ["id", "text"], list(enumerate(TEXTS)))
    # A threshold between the model's confidences, so that some rows are uncertain and some not.
    low, high = sorted(p.confidence for p in framing.classify(TEXTS))[1:3]
    threshold = f"{(low + high) / 2:.6f}"
    expected = framing.classify(TEXTS, min_confidence=float(threshold))
    assert any(p.uncertain for p in expected) and not all(p.uncertain for p in expected)
    proc = run_cli("classify", src, "--format", fmt, "--min-confidence", threshold)
    out = _ok(proc)
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.splitlines()]
        assert [r["uncertain"] for r in rows] == [p.uncertain for p in expected]
    else:
        rows = list(csv.DictReader(io.StringIO(out)))
        assert [r["uncertain"] for r in rows] == [str(p.uncertain) for p in expected]
    assert [r["label"] for r in rows] == [p.label for p in expected]
    assert f"{sum(p.uncertain for p in expected)} uncertain".encode() in proc.stderr
    # Without the option, no such column: outputs stay as they were.
    plain = run_cli("classify", src, "--format", "jsonl")
    assert "uncertain" not in json.loads(_ok(plain).splitlines()[0])


@pytest.mark.parametrize("value", ["1.5", "-0.1", "high"])
def test_min_confidence_out_of_range_is_one_line(value):
    proc = run_cli("classify", "-", "--min-confidence", value, input=ARTICLE.encode())
    assert proc.returncode == 2 and b"--min-confidence" in proc.stderr and b"Traceback" not in proc.stderr


# --- the article's label in every format -----------------------------------------------------------

@pytest.mark.parametrize("fmt", ["jsonl", "csv", "tsv"])
def test_article_label_and_shares_on_every_row(fmt):
    expected = framing.classify_article(ARTICLE)
    out = _ok(run_cli("classify", "-", "--format", fmt, "--min-confidence", "0.9", input=ARTICLE.encode()))
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.splitlines()]
    else:
        rows = list(csv.DictReader(io.StringIO(out), delimiter="\t" if fmt == "tsv" else ","))
    assert len(rows) == len(expected)
    for row, p in zip(rows, expected):
        assert row["label"] == p.label
        assert row["article_label"] == expected.label
        for label in framing.LABELS:
            assert float(row[f"article_{label}"]) == pytest.approx(expected.shares[label], abs=1e-4)
        assert str(row["uncertain"]) in (("True", "true") if p.confidence < 0.9 else ("False", "false"))


def test_article_table_marks_uncertain_paragraphs():
    expected = framing.classify_article(ARTICLE)
    lines = _ok(run_cli("classify", "-", "--min-confidence", "0.9", input=ARTICLE.encode())).splitlines()
    flags = [line.split()[5] == "?" for line in lines[1:-1]]
    assert flags == [p.confidence < 0.9 for p in expected]
    assert lines[-1].startswith(f"article: {expected.label}")
    assert f"{sum(flags)} uncertain" in lines[-1]


# --- evaluate ------------------------------------------------------------------------------------------

@pytest.fixture
def gold_csv(tmp_path):
    """A gold file with other column names, where some predictions are wrong."""
    predictions = framing.classify(TEXTS)
    # The gold label of every other row is set to a label the model did not give: known errors.
    gold = [p.label if i % 2 == 0 else next(l for l in framing.LABELS if l != p.label)
            for i, p in enumerate(predictions)]
    path = tmp_path / "gold.csv"
    rows = [[i, text, label.upper()] for i, (text, label) in enumerate(zip(TEXTS, gold))]
    _write_csv(path, ["id", "paragraphe", "gold"], rows)
    return path, gold, predictions


@pytest.mark.parametrize("suffix", ["jsonl", "csv", "tsv"])
def test_evaluate_columns_and_errors_file(tmp_path, gold_csv, suffix):
    path, gold, predictions = gold_csv
    refused = run_cli("evaluate", path)
    assert refused.returncode == 2 and b"--text-column" in refused.stderr
    assert b"Traceback" not in refused.stderr
    errors_path = tmp_path / f"errors.{suffix}"
    out = _ok(run_cli("evaluate", path, "--text-column", "paragraphe", "--label-column", "gold",
                      "--errors", errors_path))
    wrong = [i for i, (g, p) in enumerate(zip(gold, predictions)) if g != p.label]
    assert f"accuracy {1 - len(wrong) / len(TEXTS):.3f} on {len(TEXTS)} paragraphs" in out
    if suffix == "jsonl":
        rows = [json.loads(line) for line in errors_path.read_text(encoding="utf-8").splitlines()]
    else:
        rows = list(csv.DictReader(open(errors_path, encoding="utf-8", newline=""),
                                   delimiter="\t" if suffix == "tsv" else ","))
    assert sorted(r["text"] for r in rows) == sorted(TEXTS[i] for i in wrong)
    confidences = [float(r["confidence"]) for r in rows]
    assert confidences == sorted(confidences, reverse=True)  # most confident errors first
    for r in rows:
        i = TEXTS.index(r["text"])
        assert r["gold"] == gold[i] and r["predicted"] == predictions[i].label
        assert int(r["line"]) == i + 2  # the header is line 1
        assert float(r["confidence"]) == pytest.approx(predictions[i].confidence, abs=1e-4)
        for label in framing.LABELS:
            assert float(r[label]) == pytest.approx(predictions[i].scores[label], abs=1e-4)


def test_evaluate_confidence_table(tmp_path, gold_csv):
    path, gold, predictions = gold_csv
    out = _ok(run_cli("evaluate", path, "--text-column", "paragraphe", "--label-column", "gold"))
    for threshold in (0.6, 0.8, 0.9):
        kept = [(g, p) for g, p in zip(gold, predictions) if p.confidence >= threshold]
        line = next(l for l in out.splitlines() if l.strip().startswith(f">= {threshold}"))
        fields = line.split()
        assert int(fields[2]) == len(kept)
        assert fields[3] == f"{len(kept) / len(TEXTS):.1%}"
        assert fields[4] == (f"{sum(g == p.label for g, p in kept) / len(kept):.3f}" if kept else "-")


def test_evaluate_bad_gold_is_listed_and_nothing_written(tmp_path):
    path = tmp_path / "gold.jsonl"
    path.write_text('{"text": "Une avancée.", "label": "optimistic"}\n{"text": "x", "label": "joyeux"}\n'
                    '{"text": "", "label": "neutral"}\n{"texte": "y"}\n', encoding="utf-8")
    errors_path = tmp_path / "errors.csv"
    proc = run_cli("evaluate", path, "--errors", errors_path)
    lines = proc.stderr.decode().strip().splitlines()
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    assert [l.split(":")[2] for l in lines] == ["2", "3", "4"] and "joyeux" in lines[0]
    assert not errors_path.exists()
    proc = run_cli("evaluate", path, "--errors", tmp_path / "errors.txt")
    assert proc.returncode == 2 and b".jsonl, .csv or .tsv" in proc.stderr
