import pytest

import framing
from framing.data import read_labelled


def test_shipped_corpus_is_valid(corpus_records):
    """Labels valid, no empty text, no duplicate text (read_labelled refuses conflicts)."""
    assert len(corpus_records) >= 600
    texts = [" ".join(r.text.split()) for r in corpus_records]
    assert len(set(texts)) == len(texts)
    assert {r.label for r in corpus_records} == set(framing.LABELS)
    assert all(r.topic and r.genre for r in corpus_records)


def test_every_problem_is_reported_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"text": "Un texte correct.", "label": "neutral"}\n'
        '{"text": "Un autre", "label": "positive"}\n'
        '{"text": "   ", "label": "neutral"}\n'
        '{not json}\n'
        '{"text": "Un texte correct.", "label": "critical"}\n',
        encoding="utf-8",
    )
    with pytest.raises(framing.DataError) as info:
        read_labelled(bad)
    problems = info.value.problems
    assert any(":2:" in p and "unknown label 'positive'" in p for p in problems)
    assert any(":3:" in p and "empty text" in p for p in problems)
    assert any(":4:" in p and "invalid JSON" in p for p in problems)
    assert any(":5:" in p and "another label" in p for p in problems)


def test_csv_needs_text_and_label_columns(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("texte,etiquette\nbonjour,neutral\n", encoding="utf-8")
    with pytest.raises(framing.DataError, match="'text' and 'label'"):
        read_labelled(bad)


def test_csv_with_quoted_multiline_text(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text('text,label\n"Deux lignes,\navec une virgule",critical\n', encoding="utf-8")
    [rec] = read_labelled(good)
    assert rec.text == "Deux lignes,\navec une virgule" and rec.label == "critical"


def test_invalid_utf8_is_reported_with_its_line(tmp_path):
    bad = tmp_path / "latin1.jsonl"
    bad.write_bytes('{"text": "ok", "label": "neutral"}\n{"text": "été", "label": "neutral"}\n'.encode("latin-1"))
    with pytest.raises(framing.DataError, match=r"latin1\.jsonl:2: not valid UTF-8"):
        read_labelled(bad)


def test_missing_path_is_reported(tmp_path):
    with pytest.raises(framing.DataError, match="no such file"):
        read_labelled(tmp_path / "absent.jsonl")
