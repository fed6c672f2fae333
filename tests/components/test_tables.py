import math

from dash import html

from components.tables import comparator_table, data_table

from .conftest import comparator_rows, month_rows, walk


_walk = walk


def _texts(node):
    return [n for n in _walk(node) if isinstance(n, str)]


def _rows(table):
    body = next(n for n in _walk(table) if isinstance(n, html.Tbody))
    return [[c.children for c in tr.children] for tr in body.children]


def test_missing_value_reads_no_figure_with_reason(indicator):
    series = month_rows([88, None, 90], numerators=[44, math.nan, 45], denominators=[50, math.nan, 50],
                        reasons={1: "c: suppressed for confidentiality"})
    rows = _rows(data_table(indicator, series))
    feb = next(r for r in rows if r[0] == "May 2016")
    assert feb[1] == "no figure (c: suppressed for confidentiality)"
    assert "0" not in feb[1:] and "0%" not in feb[1:]
    apr = next(r for r in rows if r[0] == "Apr 2016")
    assert apr[1:4] == ["88%", "44", "50"]


def test_absent_month_listed_as_no_figure(indicator):
    series = month_rows([88, 89, 90]).drop(index=[1])
    rows = _rows(data_table(indicator, series))
    assert [r[0] for r in rows] == ["Jun 2016", "May 2016", "Apr 2016"]  # newest first
    assert rows[1][1] == "no figure (not received)"


def test_table_has_caption_and_scoped_headers(indicator):
    table = data_table(indicator, month_rows([88]))
    assert isinstance(table.children[0], html.Caption)
    ths = [n for n in _walk(table) if isinstance(n, html.Th)]
    assert {th.scope for th in ths} == {"col", "row"}


def test_comparator_table_one_row_per_year(indicator):
    comps = comparator_rows({"local": {2016: 86, 2017: 91}, "england": {2016: 89, 2017: 90},
                             "statistical_neighbours": {2016: None, 2017: 87}})
    table = comparator_table(indicator, comps, authority_name="Wolverhampton")
    headers = [th.children for th in next(n for n in _walk(table) if isinstance(n, html.Thead)).children.children]
    assert headers == ["Year", "Wolverhampton", "Statistical neighbours", "England"]
    rows = _rows(table)
    assert rows[0] == ["2016-17", "91%", "87% (average of 10)", "90%"]
    assert rows[1][2] == "no figure (c: suppressed for confidentiality)"
