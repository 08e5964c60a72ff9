"""The shipped example corpus and the README's examples on it."""
import csv
import datetime as dt
import doctest
import importlib.util
import json
import re
import shlex

import pytest

from conftest import REPO, TRAINING_DATA, run_cli

EXAMPLES = REPO / "examples"
CORPUS = EXAMPLES / "corpus.csv"

pytestmark = pytest.mark.skipif(not CORPUS.is_file(), reason="run from a clone of the repository")


def _rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_example_corpus_is_our_training_paragraphs_with_their_labels():
    ours = {}
    for path in TRAINING_DATA.glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            ours[record["text"]] = record["label"]
    rows = _rows(CORPUS)
    assert 200 <= len(rows) <= 1000
    assert list(rows[0]) == ["id", "date", "outlet", "section", "text", "gold"]
    assert all(ours.get(r["text"]) == r["gold"] for r in rows)  # our text, our label, unchanged
    assert len({r["text"] for r in rows}) == len(rows)
    assert len({r["outlet"] for r in rows}) == 5
    dates = [dt.date.fromisoformat(r["date"]) for r in rows]
    assert dates == sorted(dates) and {d.year for d in dates} == {2024, 2025, 2026}


def test_example_corpus_is_what_the_script_makes(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_corpus", EXAMPLES / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path / "corpus.csv")
    module.main()
    assert (tmp_path / "corpus.csv").read_bytes() == CORPUS.read_bytes()


def _readme_section(title):
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end]


def test_readme_pandas_example_runs_as_shown(monkeypatch):
    pytest.importorskip("pandas", reason="the optional 'pandas' extra is not installed")
    block = re.search(r"```python\n(.*?)```", _readme_section("Working with pandas"), re.S).group(1)
    monkeypatch.chdir(REPO)  # the example reads examples/corpus.csv from the repository root
    test = doctest.DocTestParser().get_doctest(block, {}, "README: Working with pandas", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0 and result.attempted >= 5


@pytest.mark.slow
def test_readme_report_commands_run(tmp_path):
    pytest.importorskip("matplotlib", reason="the optional 'report' extra is not installed")
    blocks = re.findall(r"```sh\n(.*?)```", _readme_section("Corpus report"), re.S)
    lines = [line for block in blocks for line in block.splitlines()]
    commands = [shlex.split(line) for line in lines if line.startswith("framing ")]
    assert [c[1] for c in commands] == ["report", "classify", "report"]
    for command in commands:  # as written, in a scratch folder: examples/ is the repository's
        args = [str(REPO / a) if a.startswith("examples/") else a for a in command[1:]]
        proc = run_cli(*args, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr.decode()
        if command[1] == "report":
            document = (tmp_path / "report.html").read_text(encoding="utf-8")
            assert document.count("<figure>") == 4 and f"{len(_rows(CORPUS))} paragraphs" in document
    assert "labels and scores read from the file" in document  # the last one read labelled.csv
