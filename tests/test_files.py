"""Files as researchers have them: delimiters, encodings, TSV, gzip, odd names, long cells, modes,
signals, pipes; and which errors are the user's."""
import csv
import gzip
import json
import os
import signal
import stat
import subprocess
import sys

import pytest

import framing
from framing import cli

from conftest import REPO, interrupt_classify_mid_run, run_cli

pytestmark = pytest.mark.slow

TEXTS = ["L'IA va sauver des vies.", "Une dérive inquiétante, dénoncent les syndicats.",
         "Le rapport compte 80 pages."]


def _labels(texts):
    return [p.label for p in framing.classify(texts)]


def _one_line_error(proc, code=2):
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == code, err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err


# --- delimiters and encodings --------------------------------------------------------------

def test_semicolon_csv_is_detected_and_written_back_with_semicolons(tmp_path):
    src = tmp_path / "excel.csv"
    src.write_text("id;text\n" + "".join(f'{i};"{t}"\n' for i, t in enumerate(TEXTS)), encoding="utf-8")
    out = tmp_path / "out.csv"
    proc = run_cli("classify", src, "-o", out)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(open(out, encoding="utf-8", newline=""), delimiter=";"))
    assert [r["text"] for r in rows] == TEXTS and [r["id"] for r in rows] == ["0", "1", "2"]
    assert [r["label"] for r in rows] == _labels(TEXTS)


def test_delimiter_option(tmp_path):
    src = tmp_path / "pipes.csv"
    src.write_text("id|text\n" + "".join(f"{i}|{t}\n" for i, t in enumerate(TEXTS)), encoding="utf-8")
    proc = run_cli("classify", src, "--format", "jsonl")
    assert proc.returncode == 2 and b"no column 'text'" in proc.stderr and b"--delimiter" in proc.stderr
    proc = run_cli("classify", src, "--format", "jsonl", "--delimiter", "|")
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line)["text"] for line in proc.stdout.decode().splitlines()] == TEXTS
    assert run_cli("classify", src, "--delimiter", "ab").returncode == 2


def test_a_header_with_the_column_decides_the_delimiter(tmp_path):
    # more semicolons than commas in the header, but only the comma split finds 'text'
    src = tmp_path / "commas.csv"
    src.write_text('text,"a;b;c"\n' + "".join(f'"{t}",x\n' for t in TEXTS), encoding="utf-8")
    proc = run_cli("classify", src, "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line)["text"] for line in proc.stdout.decode().splitlines()] == TEXTS


def test_cp1252_export_needs_and_accepts_its_encoding(tmp_path):
    src = tmp_path / "windows.csv"
    text = "L’été de l’IA : « une révolution », s’enthousiasme-t-on."
    src.write_bytes(f"id;text\n1;{text}\n".encode("cp1252"))
    err = _one_line_error(run_cli("classify", src))
    assert "windows.csv:2: not valid UTF-8" in err and "--encoding cp1252" in err
    proc = run_cli("classify", src, "--encoding", "cp1252", "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    row = json.loads(proc.stdout)
    assert row["text"] == text and row["label"] == framing.classify(text).label
    assert b"unknown encoding" in run_cli("classify", src, "--encoding", "klingon").stderr


def test_utf16_tsv_from_excel(tmp_path):
    src = tmp_path / "unicode.tsv"
    src.write_bytes(("id\ttext\r\n" + "".join(f"{i}\t{t}\r\n" for i, t in enumerate(TEXTS))).encode("utf-16"))
    err = _one_line_error(run_cli("classify", src))
    assert "--encoding utf-16" in err
    proc = run_cli("classify", src, "--encoding", "utf-16", "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line)["text"] for line in proc.stdout.decode().splitlines()] == TEXTS


def test_tsv_is_read_without_quoting(tmp_path):
    src = tmp_path / "quotes.tsv"
    src.write_text('id\ttext\n1\t"Une citation qui ne se ferme pas\n2\tDeux.\n3\t"Trois", dit-il.\n',
                   encoding="utf-8")
    out = tmp_path / "out.tsv"
    proc = run_cli("classify", src, "-o", out)
    assert proc.returncode == 0, proc.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4
    rows = [line.split("\t") for line in lines[1:]]
    assert [r[1] for r in rows] == ['"Une citation qui ne se ferme pas', "Deux.", '"Trois", dit-il.']


def test_tsv_output_refuses_what_tsv_cannot_hold(tmp_path):
    src = tmp_path / "multi.jsonl"
    src.write_text(json.dumps({"text": "Une ligne\net une autre."}) + "\n" + json.dumps({"text": TEXTS[0]}) + "\n",
                   encoding="utf-8")
    err = _one_line_error(run_cli("classify", src, "--format", "tsv"))
    assert "multi.jsonl:1: a field holds a tab or a line break" in err
    proc = run_cli("classify", src, "--format", "tsv", "--skip-errors")
    assert proc.returncode == 0 and b"skipped" in proc.stderr
    assert proc.stdout.decode().splitlines()[1].startswith(TEXTS[0] + "\t")


# --- what a file name says -------------------------------------------------------------------

@pytest.mark.parametrize("name", ["corpus.json", "corpus.xlsx", "article", "notes.md"])
def test_unknown_suffixes_are_refused(tmp_path, name):
    src = tmp_path / name
    src.write_text('[{"text": "Une avancée."}]', encoding="utf-8")
    err = _one_line_error(run_cli("classify", src))
    assert "cannot read" in err and ".jsonl" in err and ".txt" in err and "--input-format" in err
    proc = run_cli("classify", src, "--input-format", "txt", "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr  # said explicitly: read as an article


def test_ndjson_is_jsonl(tmp_path):
    src = tmp_path / "corpus.ndjson"
    src.write_text("".join(json.dumps({"text": t}) + "\n" for t in TEXTS), encoding="utf-8")
    proc = run_cli("classify", src)
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line)["label"] for line in proc.stdout.decode().splitlines()] == _labels(TEXTS)


def test_gzip_in_and_out(tmp_path):
    src = tmp_path / "corpus.jsonl.gz"
    with gzip.open(src, "wt", encoding="utf-8") as f:
        f.writelines(json.dumps({"text": t}) + "\n" for t in TEXTS)
    out = tmp_path / "out.csv.gz"
    proc = run_cli("classify", src, "-o", out)
    assert proc.returncode == 0, proc.stderr
    with gzip.open(out, "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [r["text"] for r in rows] == TEXTS and [r["label"] for r in rows] == _labels(TEXTS)
    # a compressed CSV, and compressed data on stdin
    src_csv = tmp_path / "corpus.csv.gz"
    src_csv.write_bytes(gzip.compress(("text\n" + "".join(f'"{t}"\n' for t in TEXTS)).encode("utf-8")))
    proc = run_cli("classify", "-", "--input-format", "csv", "--format", "jsonl", input=src_csv.read_bytes())
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line)["label"] for line in proc.stdout.decode().splitlines()] == _labels(TEXTS)


def test_damaged_gzip_is_one_line(tmp_path):
    src = tmp_path / "cut.jsonl.gz"
    data = gzip.compress("".join(json.dumps({"text": f"{TEXTS[0]} {i}"}) + "\n" for i in range(3000)).encode())
    src.write_bytes(data[: len(data) // 2])
    err = _one_line_error(run_cli("classify", src, "-o", tmp_path / "out.jsonl"))
    assert "damaged or truncated gzip data" in err and not (tmp_path / "out.jsonl").exists()
    fake = tmp_path / "plain.csv.gz"
    fake.write_text("text\nUne avancée.\n", encoding="utf-8")
    assert "not gzip-compressed" in _one_line_error(run_cli("classify", fake))


# --- line numbers and long cells -------------------------------------------------------------

def test_a_multiline_record_is_reported_at_its_first_line(tmp_path):
    src = tmp_path / "multi.csv"
    src.write_text('id,text,extra\n1,"Une avancée\nsur deux lignes",x\n2,"Trois\nlignes\nici"\n3,Fin.,x\n',
                   encoding="utf-8")
    err = _one_line_error(run_cli("classify", src))
    assert "multi.csv:4: 2 fields where the header has 3" in err


def test_training_data_lines_stay_physical_after_an_undecodable_line(tmp_path):
    from framing.data import read_labelled

    bad = tmp_path / "data.csv"
    bad.write_bytes(b'text,label\n"Un texte correct.",neutral\n"Caf\xe9",neutral\n'
                    b'"Deux\nlignes",neutral\n"Fin.",joyeux\n')
    with pytest.raises(framing.DataError) as info:
        read_labelled(bad)
    problems = info.value.problems
    assert [p.split(": ", 1)[0].rsplit(":", 1)[1] for p in problems] == ["3", "6"]
    assert "not valid UTF-8" in problems[0] and "unknown label 'joyeux'" in problems[1]
    multi = tmp_path / "multi.csv"
    multi.write_text('text,label\n"Deux\nlignes",joyeux\n', encoding="utf-8")
    with pytest.raises(framing.DataError, match=r"multi\.csv:2: unknown label"):
        read_labelled(multi)


def test_cells_longer_than_the_csv_module_limit(tmp_path):
    src = tmp_path / "long.csv"
    long_text = "L'intelligence artificielle progresse vite. " * 4000  # 176,000 characters
    src.write_text(f'id,text\n1,"{long_text}"\n2,"{TEXTS[1]}"\n', encoding="utf-8")
    proc = run_cli("classify", src, "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert rows[0]["text"] == long_text and rows[1]["label"] == framing.classify(TEXTS[1]).label


# --- output files: mode, signals, pipes ---------------------------------------------------------

def _run_with_umask(args, mask):
    return subprocess.run([sys.executable, "-m", "framing", *map(str, args)], capture_output=True,
                          preexec_fn=lambda: os.umask(mask), timeout=300)


def test_outputs_get_the_usual_mode(tmp_path):
    src = tmp_path / "corpus.jsonl"
    src.write_text(json.dumps({"text": TEXTS[0]}) + "\n", encoding="utf-8")
    for mask, mode in ((0o022, 0o644), (0o077, 0o600), (0o002, 0o664)):
        out = tmp_path / f"out{mask:o}.jsonl"
        proc = _run_with_umask(["classify", src, "-o", out], mask)
        assert proc.returncode == 0, proc.stderr
        assert stat.S_IMODE(out.stat().st_mode) == mode
    # a file that is replaced keeps the mode its owner gave it
    out = tmp_path / "private.jsonl"
    out.write_text("old\n", encoding="utf-8")
    out.chmod(0o640)
    assert _run_with_umask(["classify", src, "-o", out], 0o022).returncode == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640 and out.read_text(encoding="utf-8") != "old\n"


def test_trained_model_files_get_the_usual_mode(tmp_path, tiny_model):
    from framing.model import metadata_path, save_model

    mask = os.umask(0o022)
    try:
        save_model(framing.Classifier(tiny_model)._scorer, {}, tmp_path / "m.npz")
    finally:
        os.umask(mask)
    for path in (tmp_path / "m.npz", metadata_path(tmp_path / "m.npz")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_termination_signals_keep_the_previous_output(tmp_path, sig):
    returncode, err = interrupt_classify_mid_run(tmp_path, sig)
    out = tmp_path / "out.jsonl"
    assert returncode == 128 + sig, err
    assert b"Traceback" not in err and signal.Signals(sig).name.encode() in err
    assert out.read_text(encoding="utf-8") == "keep me\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "stream.jsonl"]


def test_a_closed_pipe_ends_the_run_quietly(tmp_path):
    src = tmp_path / "big.jsonl"
    src.write_text("".join(json.dumps({"text": f"{TEXTS[i % 3]} ({i})"}) + "\n" for i in range(6000)),
                   encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "framing", "classify", str(src), "--format", "jsonl"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stdout.readline()
    proc.stdout.close()  # what `| head -1` does
    err = proc.stderr.read()
    proc.wait(timeout=120)
    assert json.loads(first)["label"] in framing.LABELS
    assert err == b"" and proc.returncode == 128 + signal.SIGPIPE


# --- errors: ours are one line, anything else is a bug ---------------------------------------

def test_a_bug_is_not_reported_as_bad_input(tmp_path, monkeypatch, capsys):
    article = tmp_path / "a.txt"
    article.write_text(TEXTS[0], encoding="utf-8")

    def broken(text):
        raise ValueError("an internal mistake")

    monkeypatch.setattr(cli, "split_paragraphs", broken)
    assert cli.main(["classify", str(article)]) == 70
    err = capsys.readouterr().err
    assert "Traceback" in err and "an internal mistake" in err and "bug in framing" in err
    with pytest.raises(ValueError, match="an internal mistake"):
        cli.main(["--debug", "classify", str(article)])


def test_user_errors_are_one_line_unless_debug(tmp_path, capsys):
    missing = str(tmp_path / "absent.txt")
    assert cli.main(["classify", missing]) == 2
    assert capsys.readouterr().err.strip() == f"framing: {missing}: no such file"
    with pytest.raises(framing.InputError):
        cli.main(["classify", missing, "--debug"])
    assert issubclass(framing.InputError, framing.FramingError)


def test_a_missing_output_folder_is_one_line(tmp_path):
    src = tmp_path / "corpus.jsonl"
    src.write_text(json.dumps({"text": TEXTS[0]}) + "\n", encoding="utf-8")
    err = _one_line_error(run_cli("classify", src, "-o", tmp_path / "nowhere" / "out.jsonl"))
    assert "no such folder" in err


# --- the README's first command -------------------------------------------------------------

def test_the_readme_main_command_runs_on_the_shipped_article():
    assert "framing classify examples/article.txt" in (REPO / "README.md").read_text(encoding="utf-8")
    proc = run_cli("classify", "examples/article.txt", cwd=REPO)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.decode().splitlines()
    article = framing.classify_article((REPO / "examples" / "article.txt").read_text(encoding="utf-8"))
    assert len(article) >= 5 and len(lines) == len(article) + 2
    assert {p.label for p in article} == set(framing.LABELS)  # a mixed article: every label appears
    assert lines[-1].startswith(f"article: {article.label}")
