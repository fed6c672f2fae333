"""Issue 12 item 2: a breakdown's unit is its own (catalogue data), checked, labelled and
drawn as what it is. Children's homes by Ofsted rating are numbers of children under a
percentage indicator; health checks by check type are percentages like their total."""
from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest

from cli import main
from exports.content import build_item
from pipelines.core.catalogue import CatalogueError, load_catalogue
from pipelines.sources.ingest import parse_file
from pipelines.store.queries import Warehouse
from tests.components.conftest import walk
from tests.ingest.conftest import FakeConfig
from webapp.views import breakdown_blocks

CAT = load_catalogue()
HOMES = CAT.get("HOMES_GOOD_OUTSTANDING_PCT")


def _parse(text: str):
    return parse_file(textwrap.dedent(text).lstrip().encode(), "extract.csv", catalogue=CAT,
                      config=FakeConfig(), today=date(2018, 2, 15))


def test_the_catalogue_gives_each_breakdown_its_unit():
    assert HOMES.unit == "percent"
    assert HOMES.unit_of("") == "percent"
    assert HOMES.unit_of("ofsted_rating=good") == "count"
    health = CAT.get("HEALTH_CHECKS_PCT")
    assert health.unit_of("check_type=initial") == "percent"  # a list: the indicator's unit
    shown = HOMES.for_breakdown("ofsted_rating")
    assert shown.format_value(8) == "8" and HOMES.format_value(8) == "8%"
    assert shown.code == HOMES.code and shown.title == HOMES.title


def test_more_than_100_children_in_one_rating_load():
    parsed = _parse("""
        indicator_code,period,value,numerator,denominator,ofsted_rating
        HOMES_GOOD_OUTSTANDING_PCT,2018-01,80%,29,36,
        HOMES_GOOD_OUTSTANDING_PCT,2018-01,120,,,good
        HOMES_GOOD_OUTSTANDING_PCT,2018-01,0,,,inadequate
        HOMES_GOOD_OUTSTANDING_PCT,2018-01,1,,,outstanding
    """)
    assert not parsed.errors, [p.message for p in parsed.errors]
    f = parsed.frame.set_index("breakdown")["value"]
    # a count stays a count: 1 child is not read as a fraction, 120 is not a percentage
    assert f["ofsted_rating=good"] == 120 and f["ofsted_rating=outstanding"] == 1
    assert f[""] == 80


def test_percent_checks_still_apply_where_the_unit_is_percent():
    parsed = _parse("""
        indicator_code,period,value,check_type
        HOMES_GOOD_OUTSTANDING_PCT,2018-01,120,
        HEALTH_CHECKS_PCT,2018-01,120,initial
    """)
    assert [p.row for p in parsed.errors] == [2, 3]
    assert all("percentage outside 0 to 100" in p.message for p in parsed.errors)


def test_a_negative_count_in_a_breakdown_is_refused():
    parsed = _parse("""
        indicator_code,period,value,ofsted_rating
        HOMES_GOOD_OUTSTANDING_PCT,2018-01,-3,good
    """)
    assert [p.row for p in parsed.errors] == [2]
    assert "negative" in parsed.errors[0].message


def test_a_breakdown_unit_must_be_a_known_unit(tmp_path):
    src = Path(CAT.path).read_text(encoding="utf-8")
    bad = src.replace("ofsted_rating: {unit: count,", "ofsted_rating: {unit: children,", 1)
    assert bad != src
    p = tmp_path / "indicators.yaml"
    p.write_text(bad, encoding="utf-8")
    with pytest.raises(CatalogueError) as e:
        load_catalogue(p)
    msg = str(e.value)  # names the indicator, the breakdown and the unit it refused
    assert "HOMES_GOOD_OUTSTANDING_PCT" in msg and "ofsted_rating" in msg and "children" in msg


def test_page_and_pack_show_children_by_rating_as_numbers(wolves_config, tmp_path):
    # Eight children in good homes read "8", not "8%"; 120 in outstanding homes load at all.
    f = tmp_path / "homes.csv"
    f.write_text("indicator_code,period,value,numerator,denominator,ofsted_rating,check_type\n"
                 "HOMES_GOOD_OUTSTANDING_PCT,2018-01,96.3%,128,133,,\n"
                 "HOMES_GOOD_OUTSTANDING_PCT,2018-01,120,,,outstanding,\n"
                 "HOMES_GOOD_OUTSTANDING_PCT,2018-01,8,,,good,\n"
                 "HOMES_GOOD_OUTSTANDING_PCT,2018-01,5,,,requires_improvement,\n"
                 "HEALTH_CHECKS_PCT,2018-01,94,,,,initial\n")
    assert main(["ingest", str(f), "--config", str(wolves_config.config_path)]) == 0
    wh = Warehouse(wolves_config)
    as_at = wh.resolve_as_at("2018-01")
    text = " ".join(n for b in breakdown_blocks(HOMES, wh, wolves_config, as_at)
                    for n in walk(b) if isinstance(n, str))
    assert "good 8" in text and "outstanding 120" in text
    assert "8%" not in text and "120%" not in text
    health = " ".join(n for b in breakdown_blocks(CAT.get("HEALTH_CHECKS_PCT"), wh, wolves_config,
                                                  as_at) for n in walk(b) if isinstance(n, str))
    assert "94%" in health  # a percentage breakdown stays a percentage, though a whole number
    item = build_item(wh, "HOMES_GOOD_OUTSTANDING_PCT", as_at, mode="private")
    alts = [alt for kind, _, alt in item.figures if kind.startswith("breakdown")]
    assert alts and "good 8" in alts[0] and "8%" not in alts[0] and "Stacked" in alts[0]
