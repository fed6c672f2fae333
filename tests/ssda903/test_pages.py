"""The data-quality page (editors only, refused on the server) and the reconciliation block
on an indicator page."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from pipelines.store import warehouse as wh
from pipelines.store.queries import Warehouse
from pipelines.uploads import check_files, commit_checked
from present.ssda903 import quality_summary, reconciliation_table
from tests.fixtures import as_role
from tests.ssda903.conftest import shared_files
from tests.upload.conftest import built_dir, config, dash_app, server_for  # noqa: F401
from webapp.auth import PermissionDenied
from webapp.ssda903_views import reconciliation_block


@pytest.fixture
def loaded(config, monkeypatch):  # noqa: F811
    monkeypatch.setenv("LACDASH_PSEUDONYM_KEY", "pages-tests")
    monkeypatch.setenv("LACDASH_903_RULES", "off")
    files = {n: b for n, b in shared_files().items() if n[:4] in ("2020", "2021")}
    commit_checked(check_files(list(files.items()), config=config), config=config)
    return config


@pytest.fixture
def page(dash_app):  # noqa: F811
    import pages.data_quality as dq  # registered inside the test app (see dash_app)
    return dq


@pytest.mark.parametrize("role", [None, "viewer"])
def test_viewers_never_reach_child_rows(loaded, server_for, page, role):  # noqa: F811
    server = server_for(loaded)
    with as_role(server, role):
        assert "You need editor access" in str(page.layout())
        assert "dq-rows" not in str(page.layout())
        with pytest.raises(PermissionDenied):
            page.download_quality(1)


def test_editors_see_and_download_every_row(loaded, server_for, page):  # noqa: F811
    server = server_for(loaded)
    q = Warehouse(loaded).ssda903_quality()
    assert len(q) and set(q["kind"]) >= {"repair", "gap", "year"}
    with as_role(server, "editor"):
        text = str(page.layout())
        assert "dq-rows" in text and "Every row" in text
        sent = page.download_quality(1)
    csv = sent["content"]
    assert sent["filename"] == "ssda903-data-quality.csv"
    assert len(pd.read_csv(pd.io.common.StringIO(csv))) == len(q)
    raw = set(pd.read_csv(pd.io.common.BytesIO(shared_files()["2021-episodes.csv"]),
                          dtype=str).CHILD)
    assert not any(cid in csv for cid in raw if len(cid) > 4)
    summary = quality_summary(q)
    assert summary["Rows"].sum() == (q["severity"] != "info").sum()


def test_reconciliation_puts_our_31_march_figure_beside_the_published_one(loaded):
    ours = Warehouse(loaded).reconciliation("CLA_NUMBER")
    mine = ours.set_index("year").loc["2021-22", "computed"]
    published = pd.DataFrame([{
        "indicator_code": "CLA_NUMBER", "area_code": loaded.code,
        "period_start": date(2021, 4, 1), "period_end": date(2022, 3, 31),
        "period_label": "2021-22", "period_type": "year", "breakdown": "",
        "value": mine + 5, "numerator": None, "denominator": None, "missing_reason": None,
        "status": "final"}])
    wh.commit(loaded.warehouse_path, published, data=b"published", file_name="dfe.csv",
              kind="ees", config=loaded)
    rec = Warehouse(loaded).reconciliation("CLA_NUMBER").set_index("year")
    assert rec.loc["2021-22", "published"] == mine + 5
    assert rec.loc["2021-22", "difference"] == -5
    assert pd.isna(rec.loc["2020-21", "published"])
    shown = reconciliation_table(rec.reset_index(), 0)
    assert shown.iloc[0]["Published by DfE"] == "not loaded"
    ind = Warehouse(loaded).catalogue.get("CLA_NUMBER")
    block = str(reconciliation_block(ind, Warehouse(loaded)))
    assert "reconciliation-table" in block and "-5" in block and "text/csv" in block


def test_upload_page_takes_the_903_tables_as_one_upload(config, server_for, dash_app,  # noqa: F811
                                                        monkeypatch):
    import base64
    import pages.upload as upload  # registered inside the test app (see dash_app)
    monkeypatch.setenv("LACDASH_PSEUDONYM_KEY", "pages-tests")
    monkeypatch.setenv("LACDASH_903_RULES", "off")
    files = {n: b for n, b in shared_files().items() if n.startswith("2021-")}
    urls = ["data:text/csv;base64," + base64.b64encode(b).decode() for b in files.values()]
    server = server_for(config)
    with as_role(server, "editor"):
        status, report, summary, values, disabled, token, *_ = \
            upload.handle_upload(urls, list(files))
        assert not disabled and token, status
        result, *_ = upload.handle_commit(1, token, 0)
    assert "SSDA903 extract (8 files, 2021-22)" in str(result)
    assert Warehouse(config).summary("CLA_NUMBER", "2022-03")["value"] == \
        Warehouse(config).reconciliation("CLA_NUMBER").set_index("year").loc["2021-22",
                                                                                "computed"]


def test_a_warehouse_from_before_903_loads_shows_no_reconciliation(config):  # noqa: F811
    wh_ = Warehouse(config)         # the upload tests' warehouse: built without any 903 load
    assert wh_.reconciliation("CLA_NUMBER").empty and wh_.ssda903_quality().empty
    assert reconciliation_block(wh_.catalogue.get("CLA_NUMBER"), wh_) is None
