"""The adoption page's charts and their data as downloads, through Flask's test client, on the
sample warehouse (which holds child-level adoption records)."""
import io

import openpyxl
import pandas as pd
import pytest
from flask import Flask

from components.adoption_charts import STAGES
from exports.adoption_export import NOT_SHOWN, suppress_counts
from exports.images import png_size
from exports.suppression import SUPPRESSED
from pipelines.measures import adoption
from tests.exports.conftest import SMALL_MONTH
from webapp.exports_routes import register_export_routes


@pytest.fixture(scope="module")
def client(wh):
    app = Flask(__name__)
    register_export_routes(app, lambda: wh)
    return app.test_client()


def xlsx_rows(data: bytes) -> list[tuple]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return list(wb.worksheets[0].iter_rows(values_only=True))


def ytd_children(wh, as_at) -> int:
    days = adoption.child_days(wh.adoption_children())
    card = adoption.scorecard(days, wh.resolve_as_at(as_at),
                              adoption.catalogue_thresholds(wh.catalogue))
    return card["A1"]["year_to_date"]["n"]


def test_rolling_chart_png_is_print_width(client):
    r = client.get("/export/adoption/rolling.png?as_at=2026-05")
    assert r.status_code == 200 and r.mimetype == "image/png"
    assert 'filename="adoption-rolling-2026-05.png"' in r.headers["Content-Disposition"]
    width, _ = png_size(r.data)
    assert width >= 2000


def test_dots_svg_has_title_month_and_source_inside(client):
    svg = client.get("/export/adoption/dots.svg?as_at=2026-05").data.decode("utf-8")
    assert "How long each adopted child waited (A1)" in svg
    assert "31 May 2026" in svg and "Source:" in svg


def test_waiting_xlsx_opens_with_a_header_saying_what_and_when(client):
    r = client.get("/export/adoption/waiting.xlsx?as_at=2026-05")
    assert r.status_code == 200
    rows = xlsx_rows(r.data)
    assert rows[0][0].startswith("Children waiting to be adopted, and for how long")
    assert rows[1][0] == "Sample Borough: figures as at May 2026"
    assert any(str(row[0]).startswith("Public.") for row in rows[:10])
    header = next(i for i, row in enumerate(rows) if row[0] == "Time since entering care")
    assert [row[0] for row in rows[header + 1:]][0] == "under 6 months"


def test_public_dots_in_a_window_of_fewer_than_5_children_shows_no_child(client, wh):
    n = ytd_children(wh, SMALL_MONTH)
    assert 1 <= n <= 4  # the sample's small year to date
    url = f"/export/adoption/dots.csv?as_at={SMALL_MONTH}&window=year_to_date"
    public = client.get(url).data.decode("utf-8-sig")
    assert "Fewer than 5 children were adopted in 2026-27" in public
    assert "A1 days" not in public  # no child's wait at all
    private = client.get(url + "&mode=private").data.decode("utf-8-sig")
    assert "CONFIDENTIAL" in private
    table = private.split("\r\n\r\n", 1)[1].strip().splitlines()
    assert table[0].split(",")[3] == "A1 days" and len(table) - 1 == n


def test_public_dots_image_says_why_it_is_empty(client):
    svg = client.get(f"/export/adoption/dots.svg?as_at={SMALL_MONTH}&window=year_to_date")
    assert svg.status_code == 200
    assert "individual waits are not published" in svg.data.decode("utf-8")


def test_public_waiting_data_has_no_count_from_1_to_4(client):
    def cells(mode):
        rows = xlsx_rows(client.get(f"/export/adoption/waiting.xlsx?as_at=2026-05&mode={mode}").data)
        header = next(i for i, row in enumerate(rows) if row[0] == "Time since entering care")
        return [v for row in rows[header + 1:] for v in row[1:]]
    private, public = cells("private"), cells("public")
    assert any(isinstance(v, int) and 1 <= v <= 4 for v in private)  # there is something to hide
    assert not any(isinstance(v, int) and 1 <= v <= 4 for v in public)
    assert SUPPRESSED in public


def test_one_hidden_stage_hides_the_next_smallest_so_the_total_cannot_give_it_back():
    # band total 11 = 3 + 0 + 8 + 0: hiding the 3 alone would leave 11 - 8 = 3
    counts = pd.DataFrame([[3, 0, 8, 0, 11], [6, 5, 0, 0, 11]], columns=[*STAGES, "total"],
                          index=["a", "b"])
    shown = suppress_counts(counts, "public")
    assert list(shown.loc["a"]) == [SUPPRESSED, 0, NOT_SHOWN, 0, 11]
    assert list(shown.loc["b"]) == [6, 5, 0, 0, 11]
    assert list(suppress_counts(counts, "private").loc["a"]) == [3, 0, 8, 0, 11]


@pytest.mark.parametrize("url, status, words", [
    ("/export/adoption/histogram.png", 404, "Unknown adoption chart"),
    ("/export/adoption/rolling.pdf", 400, "png, svg, xlsx or csv"),
    ("/export/adoption/dots.csv?window=forever", 400, "three_year"),
    ("/export/adoption/waiting.csv?mode=secret", 400, "public or private"),
])
def test_bad_requests_get_a_plain_message(client, url, status, words):
    r = client.get(url)
    assert r.status_code == status and r.mimetype == "text/plain"
    assert words in r.data.decode()


def test_no_adoption_records_is_a_message_saying_how_to_load_them(tmp_path):
    from pipelines.core.config import PROJECT_ROOT, load_config
    from pipelines.uploads import check_files, commit_checked
    from pipelines.store.queries import Warehouse
    config = load_config(PROJECT_ROOT / "data" / "config.toml").with_warehouse(tmp_path / "w.duckdb")
    data = b"indicator_code,period,value,numerator,denominator,status\nCLA_NUMBER,2018-01,500,,,final\n"
    commit_checked(check_files([("monthly.csv", data)], config=config), config=config)
    app = Flask("empty")
    register_export_routes(app, lambda: Warehouse(config))
    r = app.test_client().get("/export/adoption/waiting.xlsx?as_at=2018-01")
    assert r.status_code == 400 and "lacdash ingest adoption.csv" in r.data.decode()
    assert "date_entered_care" in r.data.decode()
