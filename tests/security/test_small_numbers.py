"""Issue 14 item 5: small numbers on open pages. Anyone who may not see unsuppressed figures
([auth] unsuppressed, default: signed-in users may) gets what the public board papers show,
on every page, chart, tooltip and download, with year-to-date months that would give a
hidden month away by subtraction hidden too."""
from __future__ import annotations

import io
import json
import re

import dash
from plotly.utils import PlotlyJSONEncoder
import pytest

from pipelines.store.queries import Warehouse
from pipelines.uploads import check_files, commit_checked
from webapp.auth import start_session

SMALL = (b"indicator_code,period,value,numerator,denominator\n"
         b"HEALTH_CHECKS_PCT,2026-11,30,3,10\n"
         # adoptions this year (year to date): May adds 2, so May would give 2 away
         b"ADOPTIONS_NUMBER,2026-04,6,,\nADOPTIONS_NUMBER,2026-05,8,,\n"
         b"ADOPTIONS_NUMBER,2026-06,14,,\nADOPTIONS_NUMBER,2026-07,20,,\n"
         b"ADOPTIONS_NUMBER,2026-08,23,,\nADOPTIONS_NUMBER,2026-09,31,,\n")


@pytest.fixture
def small_app(make_config):
    def make(**auth):
        config = make_config(mode="demo")
        config.auth.update(auth)
        checked = check_files([("small.csv", SMALL)], config=config)
        assert not any(c.errors for c in checked), checked[0].errors[:3]
        commit_checked(checked, config=config, user="builder")
        import app as appmod
        return config, appmod.create_app(config)
    return make


def _page(app, path, **kwargs) -> str:
    """A page's layout as the browser receives it (JSON), for a request to `path`."""
    for page in dash.page_registry.values():
        if path in (page.get("path_template"), page["path"]):
            return json.dumps(page["layout"](**kwargs), cls=PlotlyJSONEncoder)
    raise KeyError(path)


def _as(app, config, role, fn):
    with app.server.test_request_context("/"):
        if role:
            start_session(config, f"demo-{role}", role)
        return fn()


def test_anonymous_visitors_see_fewer_than_5_on_the_indicator_page(small_app):
    config, app = small_app()
    anon = _as(app, config, None, lambda: _page(app, "/indicator/<code>",
                                                code="HEALTH_CHECKS_PCT", as_at="2026-11"))
    assert "not shown (fewer than 5 children)" in anon
    assert "3 of 10" not in anon and "30%" not in anon
    editor = _as(app, config, "viewer", lambda: _page(app, "/indicator/<code>",
                                                      code="HEALTH_CHECKS_PCT", as_at="2026-11"))
    assert "3 of 10" in editor  # signed in: as it is (the default setting)


def test_anonymous_visitors_see_fewer_than_5_on_the_key_points_page(small_app):
    config, app = small_app()
    anon = _as(app, config, None, lambda: _page(app, "/", as_at="2026-11"))
    signed_in = _as(app, config, "viewer", lambda: _page(app, "/", as_at="2026-11"))
    assert "30%" in signed_in and "30%" not in anon
    assert "not shown (fewer than 5 children)" in anon


def test_who_sees_unsuppressed_figures_is_configured(small_app):
    config, app = small_app(unsuppressed="editor")
    viewer = _as(app, config, "viewer", lambda: _page(app, "/indicator/<code>",
                                                      code="HEALTH_CHECKS_PCT", as_at="2026-11"))
    editor = _as(app, config, "editor", lambda: _page(app, "/indicator/<code>",
                                                      code="HEALTH_CHECKS_PCT", as_at="2026-11"))
    assert "3 of 10" not in viewer and "3 of 10" in editor


def test_year_to_date_months_that_give_a_hidden_month_away_are_hidden(small_app):
    config, app = small_app()
    wh = app.server.config["LACDASH_CONTEXT"].warehouse

    def ytd():
        s = wh.series("ADOPTIONS_NUMBER", "2026-11")
        return {p: (None if v != v else v) for p, v in zip(s.period_label, s.value)}
    anon, full = _as(app, config, None, ytd), _as(app, config, "viewer", ytd)
    assert full["May 2026"] == 8 and full["Aug 2026"] == 23
    # May: 8 - 6 = 2 adopted in May; Aug: 23 - 20 = 3. Both hidden; the others are kept,
    # and no shown month minus the shown month before it is 1 to 4.
    assert anon["May 2026"] is None and anon["Aug 2026"] is None
    assert [anon[m] for m in ("Apr 2026", "Jun 2026", "Jul 2026", "Sep 2026")] == [6, 14, 20, 31]


def test_downloads_for_anonymous_visitors_are_suppressed(small_app):
    config, app = small_app()
    client = app.server.test_client()
    r = client.get("/export/data/HEALTH_CHECKS_PCT.csv?as_at=2026-11")
    assert r.status_code == 200
    text = r.data.decode("utf-8-sig")
    assert "not shown (fewer than 5 children)" in text and ",3,10" not in text
    assert client.get("/export/data/HEALTH_CHECKS_PCT.csv?as_at=2026-11&mode=private"
                      ).status_code == 403


def test_a_layout_built_for_a_signed_in_user_is_never_served_to_others(small_app):
    config, app = small_app()
    args = dict(code="HEALTH_CHECKS_PCT", as_at="2026-11")
    first = _as(app, config, "viewer", lambda: _page(app, "/indicator/<code>", **args))
    then = _as(app, config, None, lambda: _page(app, "/indicator/<code>", **args))
    assert "3 of 10" in first and "3 of 10" not in then


def test_child_level_adoption_blocks_are_for_signed_in_users_only(small_app):
    from tests.upload.conftest import SAMPLE
    config, app = small_app()
    checked = check_files([("adoption_records.csv",
                            (SAMPLE / "adoption_records.csv").read_bytes())], config=config)
    assert not any(c.errors for c in checked)
    commit_checked(checked, config=config, user="builder")
    anon = _as(app, config, None, lambda: _page(app, "/adoption"))
    signed_in = _as(app, config, "viewer", lambda: _page(app, "/adoption"))
    blocks = ('"id": "adoption-dots"', '"id": "adoption-waiting"', "adoption-scorecard-heading")
    assert all(b in signed_in for b in blocks)
    assert not any(b in anon for b in blocks)
    assert "adoption-public-note" in anon and "dots.png?as_at=" in anon and "mode=public" in anon


# ---------------------------------------------------------------- how a hidden figure reads

HIDDEN = "not shown (fewer than 5 children)"
# "fewer than 5" with nothing saying what was counted reads as days, a percentage or a count
BARE = re.compile(r"fewer than 5(?! children)(?! of [\d,]+ children)", re.IGNORECASE)


def _with_adoption_records(config):
    from tests.upload.conftest import SAMPLE
    checked = check_files([("adoption_records.csv",
                            (SAMPLE / "adoption_records.csv").read_bytes())], config=config)
    assert not any(c.errors for c in checked)
    commit_checked(checked, config=config, user="builder")


def _hidden_a1_month(app, config):
    """A month whose A1 3-year average (days) is hidden from the public: its month added 1
    to 4 adopted children (the across-months rule), while the figure itself rests on many."""
    wh = app.server.config["LACDASH_CONTEXT"].warehouse
    series = _as(app, config, None, lambda: wh.series("A1_DAYS_3YR"))
    hidden = series[series["suppressed"]]
    assert len(hidden), "the sample has no hidden A1 month to look at"
    return hidden.iloc[-1]


def test_a_hidden_average_says_what_was_hidden_and_why_on_the_key_points_page(small_app):
    config, app = small_app()
    _with_adoption_records(config)
    row = _hidden_a1_month(app, config)
    month = f"{row.period_end:%Y-%m}"
    anon = _as(app, config, None, lambda: _page(app, "/", as_at=month))
    signed_in = _as(app, config, "viewer", lambda: _page(app, "/", as_at=month))
    # the A1 line of the scorecard: what was hidden and why, never a bare "fewer than 5"
    a1_row = anon[anon.index('"/indicator/A1_DAYS_3YR'):][:3000]
    assert HIDDEN in a1_row and "days" not in a1_row.split(HIDDEN)[1][:40]
    assert BARE.findall(anon) == [], BARE.findall(anon)[:3]
    assert HIDDEN not in signed_in.split('"/indicator/A1_DAYS_3YR', 1)[1][:3000]


def test_a_hidden_figure_reads_the_same_on_its_page_and_in_its_downloads(small_app):
    config, app = small_app()
    _with_adoption_records(config)
    month = f"{_hidden_a1_month(app, config).period_end:%Y-%m}"
    page = _as(app, config, None, lambda: _page(app, "/indicator/<code>", code="A1_DAYS_3YR",
                                                as_at=month))
    assert HIDDEN in page and BARE.findall(page) == []
    client = app.server.test_client()
    csv = client.get(f"/export/data/A1_DAYS_3YR.csv?as_at={month}").data.decode("utf-8-sig")
    assert HIDDEN in csv and BARE.findall(csv) == []
    health = client.get("/export/data/HEALTH_CHECKS_PCT.csv?as_at=2026-11").data.decode("utf-8-sig")
    assert HIDDEN in health and BARE.findall(health) == []


def test_the_public_pack_says_what_was_hidden_and_why_in_every_format(small_app):
    from exports.board_pack import build_board_pack_bytes
    from docx import Document
    from openpyxl import load_workbook
    from pptx import Presentation
    config, app = small_app()
    _with_adoption_records(config)
    month = f"{_hidden_a1_month(app, config).period_end:%Y-%m}"
    codes = ["A1_DAYS_3YR", "HEALTH_CHECKS_PCT"]

    def build(fmt):
        return io.BytesIO(build_board_pack_bytes(config, month, fmt, "public", codes=codes,
                                                 adoption_charts=False))
    doc = Document(build("docx"))
    words = [p.text for p in doc.paragraphs] + [
        c.text for t in doc.tables for r in t.rows for c in r.cells]
    deck = Presentation(build("pptx"))
    slides = [sh.text_frame.text for s in deck.slides for sh in s.shapes if sh.has_text_frame] + [
        c.text for s in deck.slides for sh in s.shapes if sh.has_table
        for r in sh.table.rows for c in r.cells]
    book = load_workbook(build("xlsx"), read_only=True)
    cells = [str(v) for ws in book.worksheets for r in ws.iter_rows(values_only=True)
             for v in r if v is not None]
    for name, texts in (("Word", words), ("PowerPoint", slides), ("Excel", cells)):
        text = "\n".join(texts)
        assert HIDDEN in text, name
        assert BARE.findall(text) == [], (name, BARE.findall(text)[:3])


@pytest.mark.browser
def test_an_anonymous_visitor_reads_what_was_hidden_and_why_in_the_browser(small_app, dash_duo):
    """What the visitor's browser shows (and a screen reader reads) on `/`: the A1 row of the
    scorecard says "not shown (fewer than 5 children)", not a bare "fewer than 5"."""
    config, app = small_app()
    _with_adoption_records(config)
    month = f"{_hidden_a1_month(app, config).period_end:%Y-%m}"
    dash_duo.start_server(app)
    dash_duo.wait_for_page(url=f"{dash_duo.server_url}/?as_at={month}", timeout=60)
    link = dash_duo.wait_for_element('tr a[href^="/indicator/A1_DAYS_3YR"]', timeout=60)
    row = link.find_element("xpath", "./ancestor::tr[1]")  # the scorecard's A1 row
    assert HIDDEN in row.text, row.text
    body = dash_duo.find_element("body").text
    assert BARE.findall(body) == [], BARE.findall(body)[:3]


def test_the_sparkline_text_says_which_months_were_hidden_and_why():
    """A screen reader reads the scorecard's sparkline by its text alternative: hidden months
    are said to be hidden as small numbers, not just 'no figure'."""
    from components.sparkline import sparkline_text
    points = [{"period": "2026-08", "value": 20.0}, {"period": "2026-09", "value": None,
                                                     "suppressed": True},
              {"period": "2026-10", "value": None}, {"period": "2026-11", "value": 30.0}]
    text = sparkline_text(points)
    assert f"1 month {HIDDEN}" in text and "1 month with no figure" in text
