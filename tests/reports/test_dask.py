"""The same batch on a real Dask distributed cluster (LocalCluster on loopback)."""

from __future__ import annotations

import pytest
from reportkit import CREATED, pdfinfo

from salesbook.reports import build_reports
from salesbook.reports.context import load_review_data

distributed = pytest.importorskip("distributed")


@pytest.mark.slow
def test_region_batch_on_a_local_cluster(tmp_path, computed_zh, poppler):
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster:
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        result = build_reports(computed_zh, tmp_path / "dask", per="region", formats=("pdf", "html"),
                               scheduler=cluster.scheduler_address, progress=False, creation_date=CREATED)
    regions = load_review_data(computed_zh).tables["Reps"]["region_id"].nunique()
    assert result.ok, result.summary()
    assert len(result.files) == 2 * regions
    for pdf in (p for p in result.files if p.suffix == ".pdf"):
        assert int(pdfinfo(pdf)["Pages"]) >= 1
    local = build_reports(computed_zh, tmp_path / "local", per="region", formats=("pdf",), workers=1,
                          progress=False, creation_date=CREATED)
    for pdf in local.files:  # a cluster renders exactly what a local run renders
        assert (tmp_path / "dask" / pdf.name).read_bytes() == pdf.read_bytes()
