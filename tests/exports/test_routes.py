"""The download routes, through Flask's test client."""
import io

import openpyxl
import pytest
from flask import Flask

from webapp.exports_routes import register_export_routes


@pytest.fixture(scope="module")
def client(wh):
    app = Flask(__name__)
    register_export_routes(app, lambda: wh)
    return app.test_client()


def test_data_download_is_csv_with_header_lines(client):
    r = client.get("/export/data/CLA_NUMBER.csv?as_at=2026-05")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert 'filename="CLA_NUMBER-data-2026-05.csv"' in r.headers["Content-Disposition"]
    text = r.data.decode("utf-8-sig")
    assert text.startswith("Looked-after children (CLA_NUMBER)")
    assert "figures as at May 2026" in text


def test_board_pack_xlsx_private_is_named_confidential(client):
    r = client.get("/export/board-pack.xlsx?as_at=2026-05&mode=private")
    assert r.status_code == 200
    assert "CONFIDENTIAL" in r.headers["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.data))
    assert "CONFIDENTIAL" in wb["About"]["A3"].value


def test_chart_png_download(client):
    r = client.get("/export/chart/CLA_NUMBER.png?as_at=2026-05")
    assert r.status_code == 200 and r.data[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("url, status, words", [
    ("/export/chart/NOT_A_CODE.png", 404, "Unknown indicator code"),
    ("/export/data/CLA_NUMBER.xlsx?mode=secret", 400, "public or private"),
    ("/export/data/CLA_NUMBER.xlsx?as_at=2026-13", 400, "YYYY-MM"),
    ("/export/board-pack.doc", 400, "docx"),
])
def test_bad_requests_get_a_plain_message(client, url, status, words):
    r = client.get(url)
    assert r.status_code == status and r.mimetype == "text/plain"
    assert words in r.data.decode()


def test_private_exports_can_be_refused(wh):
    class PermissionDenied(Exception):
        pass

    def refuse():
        raise PermissionDenied("Private exports need the editor role.")
    app = Flask("guarded")
    register_export_routes(app, lambda: wh, authorise_private=refuse)
    c = app.test_client()
    r = c.get("/export/board-pack.xlsx?mode=private")
    assert r.status_code == 403 and "editor" in r.data.decode()
    assert c.get("/export/board-pack.xlsx").status_code == 200
