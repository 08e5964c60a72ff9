"""framing.classify_frame: pandas in, pandas out, index and order kept, errors naming the row."""
import math

import numpy as np
import pytest

import framing

pd = pytest.importorskip("pandas", reason="the optional 'pandas' extra is not installed")

TEXTS = [
    "L'IA va sauver des vies dans les hôpitaux, se félicitent les médecins.",
    "Ces caméras « intelligentes » ouvrent la voie à une surveillance de masse.",
    "Le groupe a annoncé mardi l'ouverture d'un centre de recherche à Grenoble.",
    "Certes, l'outil fait gagner du temps, mais il invente des références.",
]
ADDED = ["label", "optimistic", "critical", "neutral", "confidence", "uncertain"]


def _frame():
    # An index that is neither sorted nor unique nor a range: it must come back as it went in.
    return pd.DataFrame({"id": [7, 3, 9, 1], "text": TEXTS, "outlet": list("abca")},
                        index=pd.Index(["z", "x", "z", "m"], name="key"))


def test_frame_keeps_index_columns_and_order_and_equals_classify():
    df = _frame()
    before = df.copy()
    out = framing.classify_frame(df, min_confidence=0.9)
    pd.testing.assert_frame_equal(df, before)  # the input is left alone
    assert out is not df
    assert list(out.columns) == ["id", "text", "outlet", *ADDED]
    pd.testing.assert_index_equal(out.index, df.index)
    pd.testing.assert_frame_equal(out[["id", "text", "outlet"]], df)
    expected = framing.classify(TEXTS, min_confidence=0.9)
    assert out["label"].tolist() == [p.label for p in expected]
    for label in framing.LABELS:
        assert out[label].tolist() == pytest.approx([p.scores[label] for p in expected], abs=1e-12)
    assert out["confidence"].tolist() == pytest.approx([p.confidence for p in expected], abs=1e-12)
    assert out["uncertain"].tolist() == [p.uncertain for p in expected]
    assert out["uncertain"].dtype == bool
    assert np.allclose(out[list(framing.LABELS)].sum(axis=1), 1)


def test_uncertain_follows_the_threshold():
    out = framing.classify_frame(_frame(), min_confidence=0.75)
    assert (out["uncertain"] == (out["confidence"] < 0.75)).all()
    assert not framing.classify_frame(_frame())["uncertain"].any()
    with pytest.raises(ValueError, match="min_confidence"):
        framing.classify_frame(_frame(), min_confidence=1.5)


def test_series_in_dataframe_out_with_its_index():
    s = pd.Series(TEXTS[:3], index=pd.date_range("2025-01-01", periods=3), name="body")
    out = framing.classify_frame(s)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["body", *ADDED]
    pd.testing.assert_index_equal(out.index, s.index)
    assert out["label"].tolist() == [p.label for p in framing.classify(TEXTS[:3])]
    unnamed = framing.classify_frame(pd.Series(TEXTS[:2]), column="paragraph")
    assert list(unnamed.columns)[0] == "paragraph"


@pytest.mark.parametrize("bad, error, message", [
    (None, TypeError, "missing value"),
    (float("nan"), TypeError, "missing value"),
    (42, TypeError, "got int"),
    ("", ValueError, "empty"),
    ("  \n ", ValueError, "empty"),
])
def test_bad_cell_names_its_index_label(bad, error, message):
    df = pd.DataFrame({"text": [TEXTS[0], bad, TEXTS[1]]}, index=["first", "second", "third"], dtype=object)
    with pytest.raises(error, match=rf"row 'second'.*{message}"):
        framing.classify_frame(df)


def test_pandas_missing_value_is_refused():
    s = pd.Series([TEXTS[0], pd.NA], dtype="string", index=[10, 20])
    with pytest.raises(TypeError, match="row 20"):
        framing.classify_frame(s)


def test_errors_skip_keeps_bad_rows_with_an_empty_label():
    df = pd.DataFrame({"text": [TEXTS[0], None, "", 3.5, TEXTS[1]]}, index=list("abcde"), dtype=object)
    out = framing.classify_frame(df, errors="skip")
    pd.testing.assert_index_equal(out.index, df.index)
    good = framing.classify([TEXTS[0], TEXTS[1]])
    assert out["label"].tolist() == [good[0].label, "", "", "", good[1].label]
    assert out.loc[["b", "c", "d"], ["optimistic", "critical", "neutral", "confidence"]].isna().all().all()
    assert out["uncertain"].tolist() == [False, True, True, True, False]
    assert out.loc["e", "critical"] == pytest.approx(good[1].scores["critical"], abs=1e-12)


def test_prefix_and_clashing_columns():
    df = pd.DataFrame({"text": TEXTS[:2], "label": ["optimistic", "critical"]})
    with pytest.raises(ValueError, match="prefix"):
        framing.classify_frame(df)
    out = framing.classify_frame(df, prefix="framing_")
    assert out["label"].tolist() == ["optimistic", "critical"]
    assert list(out.columns[2:]) == ["framing_" + c for c in ADDED]


def test_bad_arguments():
    with pytest.raises(KeyError, match="body"):
        framing.classify_frame(_frame(), column="body")
    with pytest.raises(TypeError, match="DataFrame or Series"):
        framing.classify_frame(TEXTS)
    with pytest.raises(ValueError, match="errors"):
        framing.classify_frame(_frame(), errors="ignore")
    with pytest.raises(ValueError, match="n_jobs"):
        framing.classify_frame(_frame(), n_jobs=0)
    with pytest.raises(TypeError, match="model"):
        framing.classify_frame(_frame(), model=3)


def test_empty_frame_gives_the_columns():
    out = framing.classify_frame(_frame().iloc[:0])
    assert len(out) == 0 and list(out.columns) == ["id", "text", "outlet", *ADDED]
    # The same dtypes as a full frame's: Dask checks partitions against such an empty frame.
    pd.testing.assert_series_equal(out.dtypes, framing.classify_frame(_frame()).dtypes)


@pytest.mark.slow
def test_another_model(tiny_model):
    out = framing.classify_frame(_frame(), model=tiny_model)
    expected = framing.Classifier(tiny_model).classify(TEXTS)
    assert out["optimistic"].tolist() == pytest.approx([p.scores["optimistic"] for p in expected], abs=1e-12)
    same = framing.classify_frame(_frame(), model=framing.Classifier(tiny_model))
    pd.testing.assert_frame_equal(out, same)
    assert not math.isclose(out["optimistic"].iloc[0], framing.classify(TEXTS[0]).scores["optimistic"])
