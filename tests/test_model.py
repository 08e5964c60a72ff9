"""The model is its score tables: checked before use, loaded without pickle or scikit-learn."""
import json
import shutil

import numpy as np
import pytest

import framing
from framing.data import data_sha256, read_labelled
from framing.model import BUNDLED_MODEL, FORMAT_VERSION, file_sha256, metadata_path, tables_path

from conftest import TRAINING_DATA

TEXT = "Les robots désherbeurs font gagner un temps précieux aux maraîchers."


def test_shipped_model_is_not_stale():
    """The bundled model must be trained on training_data/ as it is now: run `framing train` if not."""
    meta = json.loads(metadata_path(BUNDLED_MODEL).read_text(encoding="utf-8"))
    records = read_labelled(TRAINING_DATA)
    assert meta["data"]["sha256"] == data_sha256(records), "stale model: run `framing train`"
    assert meta["data"]["n_records"] == len(records)


def test_shipped_model_is_tables_and_metadata_only():
    files = sorted(p.name for p in BUNDLED_MODEL.parent.iterdir() if not p.name.startswith(("_", ".")))
    assert files == ["framing.json", "framing.npz"]  # no pickle ships
    meta = framing.Classifier().metadata
    assert meta["format_version"] == FORMAT_VERSION
    assert meta["labels"] == list(framing.LABELS)
    assert meta["tables_sha256"] == file_sha256(BUNDLED_MODEL)
    assert 0 < meta["cv"]["macro_f1"] <= 1 and set(meta["cv"]["per_label"]) == set(framing.LABELS)
    assert BUNDLED_MODEL.stat().st_size <= 20e6


@pytest.fixture
def model_copy(tmp_path):
    model = tmp_path / "copy.npz"
    shutil.copy(BUNDLED_MODEL, model)
    shutil.copy(metadata_path(BUNDLED_MODEL), metadata_path(model))
    return model


def _edit_metadata(model, **changes):
    path = metadata_path(model)
    meta = json.loads(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        target = meta
        *parents, last = key.split(".")
        for p in parents:
            target = target[p]
        target[last] = value
    path.write_text(json.dumps(meta), encoding="utf-8")


def test_a_verified_copy_loads_and_agrees(model_copy):
    assert framing.Classifier(model_copy).classify(TEXT) == framing.classify(TEXT)
    # the model may be named by any of its files
    assert framing.Classifier(metadata_path(model_copy)).classify(TEXT) == framing.classify(TEXT)


def test_missing_model_is_refused(tmp_path):
    with pytest.raises(framing.ModelError, match="not found"):
        framing.Classifier(tmp_path / "nope.npz")


def test_tables_without_metadata_are_refused(model_copy):
    metadata_path(model_copy).unlink()
    with pytest.raises(framing.ModelError, match="metadata file copy.json is missing.*framing train"):
        framing.Classifier(model_copy)


def test_missing_tables_are_refused(model_copy):
    model_copy.unlink()
    with pytest.raises(framing.ModelError, match="copy.npz is missing"):
        framing.Classifier(model_copy)


def test_corrupted_tables_are_refused(model_copy):
    data = bytearray(model_copy.read_bytes())
    data[-100] ^= 0x01
    model_copy.write_bytes(bytes(data))
    with pytest.raises(framing.ModelError, match="sha256"):
        framing.Classifier(model_copy)


def test_truncated_tables_are_refused(model_copy):
    model_copy.write_bytes(model_copy.read_bytes()[:1000])
    with pytest.raises(framing.ModelError, match="framing train"):
        framing.Classifier(model_copy)


def test_a_model_of_another_format_is_refused_with_the_fix(model_copy):
    _edit_metadata(model_copy, format_version=2, **{"versions.framing": "0.1.0"})
    with pytest.raises(framing.ModelError) as info:
        framing.Classifier(model_copy)
    message = str(info.value)
    assert "format 2" in message and f"reads format {FORMAT_VERSION}" in message
    assert "framing train --out" in message and "framing 0.1.0" in message
    _edit_metadata(model_copy, format_version=FORMAT_VERSION + 1)
    with pytest.raises(framing.ModelError, match="upgrade framing"):
        framing.Classifier(model_copy)


def test_a_model_of_other_text_processing_is_refused(model_copy):
    # What a model built before a change of normalisation or tokenisation looks like.
    _edit_metadata(model_copy, text_fingerprint="0" * 64)
    with pytest.raises(framing.ModelError, match="normalisation or tokenisation.*framing train"):
        framing.Classifier(model_copy)


def test_the_fingerprint_follows_the_text_processing(monkeypatch):
    import framing.scorer as scorer_module

    tables = framing.Classifier()._scorer
    before = tables.fingerprint()
    assert before == framing.Classifier().metadata["text_fingerprint"]
    monkeypatch.setattr(scorer_module, "normalize_text", lambda text: text.lower())
    assert tables.fingerprint() != before


def test_the_scikit_learn_version_a_model_was_built_with_does_not_matter(model_copy):
    _edit_metadata(model_copy, **{"versions.scikit-learn": "0.24.2"})
    assert framing.Classifier(model_copy).classify(TEXT) == framing.classify(TEXT)


def test_other_labels_are_refused(model_copy):
    _edit_metadata(model_copy, labels=["positive", "negative", "neutral"])
    with pytest.raises(framing.ModelError, match="labels"):
        framing.Classifier(model_copy)


def test_tables_holding_pickled_objects_are_refused(tmp_path, model_copy):
    # An .npz can hold pickled objects; framing reads it with allow_pickle=False, so
    # even tables whose hash matches their metadata cannot run code.
    evil = tmp_path / "evil.npz"
    with np.load(model_copy, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["classes"] = np.array([object(), "critical", "neutral"], dtype=object)
    np.savez(evil, **arrays)
    meta = json.loads(metadata_path(model_copy).read_text(encoding="utf-8"))
    meta["tables_sha256"] = file_sha256(evil)
    metadata_path(evil).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(framing.ModelError, match="cannot read.*pickle"):
        framing.Classifier(evil)


def test_unreadable_metadata_is_refused(model_copy):
    metadata_path(model_copy).write_text("{not json", encoding="utf-8")
    with pytest.raises(framing.ModelError, match="unreadable model metadata"):
        framing.Classifier(model_copy)
    metadata_path(model_copy).write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(framing.ModelError, match="not the metadata of a framing model"):
        framing.Classifier(model_copy)


def test_bad_model_path_type():
    with pytest.raises(TypeError, match="int"):
        framing.Classifier(42)


def test_tables_path_names_the_npz(tmp_path):
    assert tables_path(tmp_path / "m.npz") == tmp_path / "m.npz"
    assert tables_path(tmp_path / "m.joblib") == tmp_path / "m.npz"
    assert metadata_path(tmp_path / "m.npz") == tmp_path / "m.json"
