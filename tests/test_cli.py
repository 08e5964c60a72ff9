import csv
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


def _lines(proc):
    return proc.stdout.decode("utf-8").splitlines()


def test_article_file_as_table(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    proc = run_cli("classify", path)
    assert proc.returncode == 0, proc.stderr
    lines = _lines(proc)
    expected = framing.classify_article(ARTICLE)
    assert len(lines) == 1 + 3 + 1
    for line, p in zip(lines[1:4], expected.paragraphs):
        assert line.split()[1] == p.label
    assert lines[-1].startswith(f"article: {expected.label}")


def test_article_from_stdin_as_jsonl():
    proc = run_cli("classify", "-", "--format", "jsonl", input=ARTICLE.encode("utf-8"))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in _lines(proc)]
    assert [r["label"] for r in rows] == [p.label for p in framing.classify_article(ARTICLE).paragraphs]
    assert all(abs(sum(r[l] for l in framing.LABELS) - 1) < 1e-3 for r in rows)


def test_csv_corpus_keeps_rows_and_order(tmp_path):
    texts = ["L'IA va sauver des vies.", "Une dérive inquiétante.", 'Le rapport, "publié hier", compte 80 pages.']
    src = tmp_path / "corpus.csv"
    with open(src, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "text"])
        w.writerows([[i, t] for i, t in enumerate(texts)])
    out = tmp_path / "out.csv"
    proc = run_cli("classify", src, "-o", out)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(open(out, encoding="utf-8")))
    assert [r["text"] for r in rows] == texts and [r["id"] for r in rows] == ["0", "1", "2"]
    assert [r["label"] for r in rows] == [p.label for p in framing.classify(texts)]
    assert b"3 rows classified" in proc.stderr


def test_jsonl_corpus_with_other_column_to_stdout(tmp_path):
    src = tmp_path / "corpus.jsonl"
    src.write_text('{"body": "Les robots agricoles, une aubaine.", "n": 1}\n\n{"body": "Rien à signaler.", "n": 2}\n',
                   encoding="utf-8")
    proc = run_cli("classify", src, "--column", "body")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in _lines(proc)]
    assert [r["n"] for r in rows] == [1, 2]
    assert all(r["label"] in framing.LABELS and "optimistic" in r for r in rows)


def test_missing_column_is_one_line_and_no_output(tmp_path):
    src = tmp_path / "corpus.csv"
    src.write_text("id,body\n1,bonjour\n", encoding="utf-8")
    out = tmp_path / "out.csv"
    proc = run_cli("classify", src, "-o", out)
    assert proc.returncode == 2
    assert b"no column 'text'" in proc.stderr and b"Traceback" not in proc.stderr
    assert len(proc.stderr.decode().strip().splitlines()) == 1
    assert not out.exists()


def test_bad_row_stops_without_replacing_output_unless_skipped(tmp_path):
    src = tmp_path / "corpus.jsonl"
    src.write_text('{"text": "Une avancée majeure."}\n{"text": ""}\n{broken\n{"text": "Un rapport factuel."}\n',
                   encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("previous results\n", encoding="utf-8")
    proc = run_cli("classify", src, "-o", out)
    assert proc.returncode == 2 and b":2: empty 'text'" in proc.stderr
    assert out.read_text(encoding="utf-8") == "previous results\n"
    proc = run_cli("classify", src, "-o", out, "--skip-errors")
    assert proc.returncode == 0, proc.stderr
    assert b":2:" in proc.stderr and b":3: invalid JSON" in proc.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["text"] for r in rows] == ["Une avancée majeure.", "Un rapport factuel."]


def test_existing_label_column_is_not_overwritten(tmp_path):
    src = tmp_path / "gold.jsonl"
    src.write_text('{"text": "Une avancée majeure.", "label": "optimistic"}\n', encoding="utf-8")
    proc = run_cli("classify", src)
    assert proc.returncode == 2 and b"--prefix" in proc.stderr
    proc = run_cli("classify", src, "--prefix", "framing_")
    assert proc.returncode == 0
    row = json.loads(proc.stdout)
    assert row["label"] == "optimistic" and row["framing_label"] in framing.LABELS


@pytest.mark.parametrize("content, message", [
    (b"\xff\xfeun texte latin \xe9t\xe9\n", b"not valid UTF-8"),
    (b"", b"no text"),
])
def test_article_errors(tmp_path, content, message):
    path = tmp_path / "a.txt"
    path.write_bytes(content)
    proc = run_cli("classify", path)
    assert proc.returncode == 2 and message in proc.stderr and b"Traceback" not in proc.stderr


def test_missing_input_and_bad_model(tmp_path):
    proc = run_cli("classify", tmp_path / "absent.txt")
    assert proc.returncode == 2 and b"no such file" in proc.stderr
    fake = tmp_path / "fake.npz"
    fake.write_bytes(b"not a model")
    proc = run_cli("classify", "-", "--model", fake, input=b"Bonjour.")
    assert proc.returncode == 1 and b"metadata" in proc.stderr and b"Traceback" not in proc.stderr


def test_evaluate_prints_report(tmp_path, tiny_data):
    proc = run_cli("evaluate", tiny_data)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout.decode()
    assert "macro-F1" in out and "confusion" in out


def test_train_refuses_bad_data_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "label": "joyeux"}\n{"text": "", "label": "neutral"}\n', encoding="utf-8")
    out = tmp_path / "m.npz"
    proc = run_cli("train", "--data", bad, "--out", out)
    assert proc.returncode == 2
    errors = proc.stderr.decode().strip().splitlines()
    assert len(errors) == 2 and "bad.jsonl:1" in errors[0] and "bad.jsonl:2" in errors[1]
    assert not out.exists()
