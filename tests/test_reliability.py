"""Any input is answered or refused clearly; nothing is lost on failure."""
import json
import math
import signal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import framing

from conftest import interrupt_classify_mid_run, run_cli


def _valid(p, text):
    assert isinstance(p, framing.Prediction) and p.text == text
    assert p.label in framing.LABELS
    assert all(0.0 <= s <= 1.0 for s in p.scores.values())
    assert math.isclose(sum(p.scores.values()), 1.0, abs_tol=1e-9)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_str_is_answered_or_refused_as_documented(text):
    if not text.strip():
        with pytest.raises(ValueError):
            framing.classify(text)
        return
    p = framing.classify(text)
    _valid(p, text)
    assert framing.classify(text) == p  # deterministic


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(min_size=1, max_size=120).filter(str.strip), max_size=8))
def test_batch_equals_one_by_one(texts):
    batch = framing.classify(texts)
    assert [p.text for p in batch] == texts
    for p, text in zip(batch, texts):
        single = framing.classify(text)
        assert p.label == single.label
        assert all(math.isclose(p.scores[l], single.scores[l], abs_tol=1e-9) for l in framing.LABELS)


@pytest.mark.parametrize("text", [
    "\x00\x01 texte avec NUL et caractères de contrôle",
    "\ud800 une moitié de paire de substitution",
    "😀🤖🔥",
    "<p>Une <b>IA</b> au service des <a href='x'>patients</a></p>",
    "https://exemple.fr/articles/2024/ia-et-emploi?utm_source=rss",
    "Artificial intelligence is a threat to jobs, the report says.",
    "\u200b\u200bzero-width",
])
def test_odd_but_real_input_is_answered(text):
    _valid(framing.classify(text), text)


def test_nan_and_nested_input_are_type_errors():
    with pytest.raises(TypeError, match="float"):
        framing.classify(float("nan"))
    with pytest.raises(TypeError, match="item 0"):
        framing.classify([float("nan")])
    with pytest.raises(TypeError, match="item 0 must be str, got list"):
        framing.classify([["nested"]])
    with pytest.raises(TypeError, match="dimensions"):
        framing.classify(np.array([["a", "b"]]))


def test_pandas_like_sequence_of_str():
    class Series:  # what matters of a pandas Series: iterable, not a list
        def __init__(self, values):
            self.values = values

        def __iter__(self):
            return iter(self.values)

    texts = ["Une avancée.", "Un risque."]
    assert framing.classify(Series(texts)) == framing.classify(texts)


# --- files through the CLI ---------------------------------------------------------------

def _one_line_error(proc, code=2):
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == code, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    return err


@pytest.mark.slow
def test_bom_crlf_corpus_is_read(tmp_path):
    src = tmp_path / "bom.csv"
    src.write_bytes("\ufefftext,id\r\nUne avancée majeure,1\r\nUn risque sérieux,2\r\n".encode("utf-8"))
    proc = run_cli("classify", src, "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r["text"] for r in rows] == ["Une avancée majeure", "Un risque sérieux"]


@pytest.mark.slow
@pytest.mark.parametrize("name, content, message", [
    ("latin1.csv", "text\nété\n".encode("latin-1"), ":2: not valid UTF-8"),
    ("missing.csv", b"id,text\n1\n", ":2: 1 fields where the header has 2"),
    ("extra.csv", b"id,text\n1,bonjour,de trop\n", ":2: 3 fields where the header has 2"),
    ("empty_cell.csv", b"id,text\n1,\n", ":2: empty 'text'"),
    ("broken.jsonl", b'{"text": "ok"}\n{"text": \n', ":2: invalid JSON"),
    ("array.jsonl", b'["text"]\n', ":1: expected a JSON object"),
    ("number.jsonl", b'{"text": 42}\n', ":1: 'text' is int"),
])
def test_bad_corpus_files_name_the_line(tmp_path, name, content, message):
    src = tmp_path / name
    src.write_bytes(content)
    err = _one_line_error(run_cli("classify", src, "-o", tmp_path / "out.jsonl"))
    assert message in err
    assert not (tmp_path / "out.jsonl").exists()


@pytest.mark.slow
def test_skip_errors_writes_exactly_the_good_rows(tmp_path):
    src = tmp_path / "mixed.csv"
    src.write_bytes(b"id,text\n1,Une avanc\xc3\xa9e\n2,\n3,Un risque\n4\n5,Un rapport factuel\n")
    out = tmp_path / "out.csv"
    proc = run_cli("classify", src, "-o", out, "--skip-errors")
    assert proc.returncode == 0, proc.stderr
    err = proc.stderr.decode()
    assert "mixed.csv:3" in err and "mixed.csv:5" in err and "2 bad rows skipped" in err
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["1", "3", "5"]


@pytest.mark.slow
def test_error_mid_run_keeps_the_previous_output(tmp_path):
    # a bad row after the first chunk: rows were already written to the temporary file
    src = tmp_path / "big.jsonl"
    rows = [json.dumps({"text": f"Paragraphe numéro {i} sur l'IA."}) for i in range(2500)]
    rows.append(json.dumps({"text": ""}))
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("keep me\n", encoding="utf-8")
    err = _one_line_error(run_cli("classify", src, "-o", out))
    assert ":2501: empty 'text'" in err
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.jsonl", "out.jsonl"]


@pytest.mark.slow
def test_ctrl_c_mid_run_keeps_the_previous_output(tmp_path):
    returncode, err = interrupt_classify_mid_run(tmp_path, signal.SIGINT)
    out = tmp_path / "out.jsonl"
    assert returncode == 130, err
    assert b"Traceback" not in err and b"interrupted" in err
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "stream.jsonl"]


def test_failed_model_write_replaces_nothing(tmp_path):
    from framing.model import save_model

    target = tmp_path / "m.npz"
    target.write_bytes(b"old")
    (tmp_path / "m.json").write_text("old metadata", encoding="utf-8")

    class Exploding:  # tables whose writing fails half-way (a full disk)
        def save(self, f):
            f.write(b"partial")
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        save_model(Exploding(), {}, target)
    assert target.read_bytes() == b"old"
    assert (tmp_path / "m.json").read_text(encoding="utf-8") == "old metadata"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json", "m.npz"]


@pytest.mark.slow
def test_nul_and_lone_surrogate_escapes_survive_a_jsonl_round_trip(tmp_path):
    src = tmp_path / "odd.jsonl"
    src.write_text('{"text": "bon\\u0000jour \\ud800 fin"}\n', encoding="utf-8")
    proc = run_cli("classify", src)
    assert proc.returncode == 0, proc.stderr
    row = json.loads(proc.stdout)
    assert row["text"] == "bon\x00jour \ud800 fin" and row["label"] in framing.LABELS
    err = _one_line_error(run_cli("classify", src, "--format", "csv", "-o", tmp_path / "out.csv"))
    assert "odd.jsonl:1: a field holds a lone surrogate" in err
    assert not (tmp_path / "out.csv").exists()
    proc = run_cli("classify", src, "--format", "csv", "-o", tmp_path / "out.csv", "--skip-errors")
    assert proc.returncode == 0 and b"skipped" in proc.stderr and b"odd.jsonl:1:" in proc.stderr
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == ""


@pytest.mark.slow
def test_ten_megabyte_article_is_answered(tmp_path):
    # one 10 MB line: read up to the documented 20,000-character cap (see benchmarks for speed)
    path = tmp_path / "big.txt"
    path.write_text("L'intelligence artificielle progresse. " * 260_000, encoding="utf-8")
    proc = run_cli("classify", path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode().splitlines()[-1].startswith("article:")
