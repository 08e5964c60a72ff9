"""framing on a Dask cluster gives what framing.classify gives."""
import pytest

import framing

dd = pytest.importorskip("dask.dataframe", reason="the optional 'dask' extra is not installed")
distributed = pytest.importorskip("distributed")
pd = pytest.importorskip("pandas")

pytestmark = pytest.mark.slow


def test_local_cluster_equals_classify(corpus_records):
    import framing.dask

    texts = [r.text for r in corpus_records[:300]]
    pdf = pd.DataFrame({"id": range(len(texts)), "text": texts})
    ddf = dd.from_pandas(pdf, npartitions=6)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster):
        result = framing.dask.classify_dataframe(ddf, min_confidence=0.9).compute()
    # The same function runs on each partition: the result is classify_frame's on the whole frame.
    # (Dask may store the text in its own string dtype: the added columns are compared.)
    added = ["label", *framing.LABELS, "confidence", "uncertain"]
    pd.testing.assert_frame_equal(result[added], framing.classify_frame(pdf, min_confidence=0.9)[added])
    expected = framing.classify(texts)
    assert list(result["id"]) == list(range(len(texts)))
    assert list(result["label"]) == [p.label for p in expected]
    for label in framing.LABELS:
        assert result[label].tolist() == pytest.approx([p.scores[label] for p in expected], abs=1e-9)


def test_bad_cell_names_its_row():
    import framing.dask

    pdf = pd.DataFrame({"text": ["Une avancée.", None]}, index=["a", "b"])
    with pytest.raises(TypeError, match="row 'b'"):
        framing.dask.classify_partition(pdf)
    with pytest.raises(KeyError, match="body"):
        framing.dask.classify_partition(pdf, column="body")
