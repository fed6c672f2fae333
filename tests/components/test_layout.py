from datetime import date

from dash import dcc, html

from components.layout import chart_block, page_header, revision_note, small_cohort_warning

from .conftest import walk

_walk = walk


def test_header_has_skip_link_as_at_control_banner_and_sections():
    months = [date(2017, 11, 30), date(2018, 1, 31), date(2017, 12, 31)]
    header = page_header("Wolverhampton", "2017-12", months, True, current_path="/health")
    nodes = list(_walk(header))
    skip = nodes[1]
    assert isinstance(skip, html.A) and skip.href == "#main-content"
    assert any(getattr(n, "id", None) == "sample-banner" for n in nodes)
    dropdown = next(n for n in nodes if isinstance(n, dcc.Dropdown))
    assert dropdown.id == "as-at" and dropdown.value == "2017-12"
    assert [o["value"] for o in dropdown.options] == ["2018-01", "2017-12", "2017-11"]  # newest first
    label = next(n for n in nodes if isinstance(n, html.Label))
    assert label.htmlFor == "as-at"
    links = [n for n in nodes if isinstance(n, html.A) and "nav-link" == getattr(n, "className", "")]
    assert [link.href.split("?")[0] for link in links] == [
        "/", "/population", "/placements", "/routes-into-care", "/assessments-reviews", "/education",
        "/health", "/adoption", "/care-leavers", "/action-plan"]
    assert all(link.href.endswith("?as_at=2017-12") for link in links)
    current = [link for link in links if getattr(link, "aria-current", None) == "page"]
    assert [link.href for link in current] == ["/health?as_at=2017-12"]


def test_no_banner_for_real_data():
    header = page_header("Wolverhampton", "2018-01", [date(2018, 1, 31)], False)
    assert not any(getattr(n, "id", None) == "sample-banner" for n in _walk(header))


def test_chart_block_has_summary_and_table_in_details():
    table = html.Table([html.Caption("x")])
    block = chart_block({"data": []}, "Health checks were 88%.", table, id="trend", heading="Health checks are below England")
    nodes = list(_walk(block))
    graph = next(n for n in nodes if isinstance(n, dcc.Graph))
    assert graph.config["displaylogo"] is False
    assert any(isinstance(n, html.Figcaption) and n.children == "Health checks were 88%." for n in nodes)
    details = next(n for n in nodes if isinstance(n, html.Details))
    assert details.children[0].children == "Show the figures as a table"
    assert table in list(_walk(details))


def test_notes():
    assert "Only 12 children" in str(small_cohort_warning(12).children[1].children)
    note = revision_note("Jan 2018", "86%", "88%")
    assert note.children[1] == "Jan 2018 was revised: first reported as 86%, now 88%."
