"""The board pack's Adoption section as the board reads it: the scorecard table under the
Adoption heading with the figures `pipelines.measures.adoption.scorecard` computes, and the adoption
page's three charts as pictures with alt text; small numbers hidden in public papers; a
warehouse without adoption records still gives a pack."""
from __future__ import annotations

import io
import re
import shutil

import duckdb
import pytest
from docx import Document
from docx.oxml.ns import qn

from exports.board_pack import build_board_pack_bytes
from exports.content import COMPARISON_HEADER, build_pack, resolve_as_at
from exports.suppression import SUPPRESSED
from pipelines.measures import adoption
from tests.exports.conftest import SMALL_MONTH

ADOPTION_TITLES = {"A1 and A10 3-year averages against the threshold",
                   "How long each adopted child waited (A1)",
                   "Children waiting to be adopted, and for how long"}
SMALL_OF = re.compile(r"(?<![\d,.])([1-4]) of |(?<![\d,.])\d[\d,]* of ([1-4])(?![\d,.])")


def adoption_codes(wh) -> list[str]:
    return [i.code for s in wh.catalogue.sections if s.id == "adoption" for i in s.indicators]


def pack_doc(config_or_wh, mode: str, codes) -> Document:
    return Document(io.BytesIO(build_board_pack_bytes(config_or_wh, SMALL_MONTH, "docx", mode,
                                                      codes=codes)))


@pytest.fixture(scope="module")
def private_doc(wh):
    return pack_doc(wh, "private", adoption_codes(wh))


@pytest.fixture(scope="module")
def public_doc(wh):
    return pack_doc(wh, "public", adoption_codes(wh))


@pytest.fixture(scope="module")
def card(wh):
    """What the adoption page shows for the month: the reference figures."""
    d = resolve_as_at(wh, SMALL_MONTH)
    return adoption.scorecard(adoption.child_days(wh.adoption_children()), d,
                              adoption.catalogue_thresholds(wh.catalogue))


@pytest.fixture(scope="module")
def no_records_config(sample_config, tmp_path_factory):
    """A copy of the sample warehouse with the adoption records taken out (the A1/A2/A10
    figures stay, as when they are loaded directly in a monthly extract)."""
    path = tmp_path_factory.mktemp("no-adoption") / "w.duckdb"
    shutil.copy(sample_config.warehouse_path, path)
    with duckdb.connect(str(path)) as con:
        con.execute("DELETE FROM adoption_children")
    return sample_config.with_warehouse(path)


def adoption_section(doc):
    """Paragraph texts and tables (as lists of rows) between the Adoption heading and the
    next Heading 1, in order."""
    body, out, inside = doc.element.body, [], False
    tables = {t._tbl: t for t in doc.tables}
    paras = {p._p: p for p in doc.paragraphs}
    for el in body.iterchildren():
        if el.tag == qn("w:p"):
            p = paras[el]
            if p.style.name == "Heading 1":
                if inside:
                    break
                inside = p.text == "Adoption"
            elif inside:
                out.append(("p", p))
        elif el.tag == qn("w:tbl") and inside:
            out.append(("table", tables[el]))
    return out


def scorecard_table(doc):
    parts = adoption_section(doc)
    for i, (kind, obj) in enumerate(parts):
        if kind == "table" and parts[i - 1][1].text.startswith("Adoption scorecard as at"):
            return obj
    return None


def rows_of(table) -> dict[str, list[str]]:
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == COMPARISON_HEADER
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # a real header row
    return {r[0]: r[1:] for r in rows[1:]}


def pictures(doc) -> list[tuple[str, str]]:
    return [(s._inline.docPr.get("title", ""), s._inline.docPr.get("descr", ""))
            for s in doc.inline_shapes]


WINDOWS = {"three_year": "3-year average", "single_year": "last completed year",
           "year_to_date": "year to date"}


def test_private_scorecard_under_adoption_heading_equals_the_computed_scorecard(private_doc, card):
    table = scorecard_table(private_doc)
    assert table is not None, "no scorecard table under the Adoption heading"
    rows = rows_of(table)
    for measure in ("A1", "A2", "A10"):
        t = card[measure]["threshold"]
        assert rows[f"{measure} threshold"][1] == f"{t} days"
        for name, what in WINDOWS.items():
            w = card[measure][name]
            period, value, children = rows[f"{measure} {what}"]
            assert period.startswith(w["label"])
            assert value.startswith(f"{w['days']:,} days")
            assert f"within {t} days: {w['pct_within']:.0f}%" in value
            assert children.split(" ")[0] == f"{w['n']:,}"
            # small numbers are flagged, as on the adoption page
            assert ("volatile" in children) == (w["n"] < 20)
        prev = card[measure]["previous_three_year"]
        assert f"({prev['days']:,} days {prev['label']})" in rows[f"{measure} 3-year average"][1]
    # the sample's year to date: 4 children adopted by May 2026
    assert card["A1"]["year_to_date"]["n"] == 4
    assert rows["A1 year to date"][2].startswith("4 ")


def test_public_scorecard_hides_averages_of_fewer_than_5_children(public_doc, card):
    rows = rows_of(scorecard_table(public_doc))
    for measure in ("A1", "A2", "A10"):
        t = card[measure]["threshold"]
        for name, what in WINDOWS.items():
            w = card[measure][name]
            _, value, children = rows[f"{measure} {what}"]
            if 1 <= w["n"] < 5:
                assert value == SUPPRESSED and children == SUPPRESSED
                assert str(w["days"]) not in value
            else:
                assert value.startswith(f"{w['days']:,} days")
                assert f"within {t} days" in value
                assert children.split(" ")[0] == f"{w['n']:,}"
    assert rows["A1 year to date"][1:] == [SUPPRESSED, SUPPRESSED]


@pytest.fixture(scope="module")
def no_records_doc(wh, no_records_config):
    return pack_doc(no_records_config, "public", adoption_codes(wh))


def test_the_three_adoption_charts_are_pictures_with_alt_text(private_doc, public_doc,
                                                              no_records_doc, card):
    assert len(public_doc.inline_shapes) == len(no_records_doc.inline_shapes) + 3
    for doc in (private_doc, public_doc):
        pics = pictures(doc)
        assert {title for title, _ in pics} >= ADOPTION_TITLES
        for title, descr in pics:
            assert descr.strip(), title
    alt = dict(pictures(public_doc))
    n = card["A1"]["three_year"]["n"]
    assert f"{n:,} children" in alt["How long each adopted child waited (A1)"]


def test_public_adoption_charts_and_text_have_no_count_from_1_to_4(wh):
    pack = build_pack(wh, SMALL_MONTH, "public", codes=adoption_codes(wh))
    [part] = [s for s in pack.sections if s.id == "adoption"]
    for row in part.scorecard.rows:
        assert not any(re.fullmatch(r"[1-4]( .*)?", cell) for cell in row[3:]), row
        assert not SMALL_OF.search(" ".join(row))
    figures = {kind: (fig, alt) for item in part.items for kind, fig, alt in item.figures}
    assert {"rolling", "dots", "waiting"} <= set(figures)
    fig, alt = figures["waiting"]  # numbers of children in each bar
    for trace in fig.data:
        assert not [y for y in trace.y if y is not None and 1 <= y < 5], trace.name
    for _, alt in figures.values():
        assert not re.search(r"(?<![\w,.-])[1-4](?![\w,.%-])(?! days| years?)", alt), alt


def test_a_warehouse_without_adoption_records_still_builds_the_pack(no_records_doc):
    doc = no_records_doc
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert "Adoption" in h1
    assert scorecard_table(doc) is None
    titles = {title for title, _ in pictures(doc)}
    assert not titles & ADOPTION_TITLES
    assert all(descr.strip() for _, descr in pictures(doc))
