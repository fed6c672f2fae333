"""The indicator catalogue: data/indicators.yaml read through pipelines.core.catalogue."""

import math
import os
import re
from pathlib import Path

import pytest
import yaml

from pipelines.core.catalogue import CatalogueError, Indicator, load_catalogue

REPO = Path(__file__).resolve().parents[2]
CATALOGUE = REPO / "data" / "indicators.yaml"
# The contract lives with the team's reference material; LACDASH_INDICATORS_MD can point elsewhere.
_MD_CANDIDATES = [
    Path(os.environ.get("LACDASH_INDICATORS_MD", "/nonexistent")),
    REPO / "docs" / "reference" / "indicators.md",
    REPO.parent / "shared" / "reference" / "indicators.md",
    Path("/work/shared/reference/indicators.md"),
]


def _contract_rows() -> list[dict]:
    """Rows of the indicator table in indicators.md, in order: code, unit, polarity, freq, comparators."""
    md = next((p for p in _MD_CANDIDATES if p.is_file()), None)
    if md is None:
        pytest.skip("indicators.md (the indicator contract) not found; set LACDASH_INDICATORS_MD")
    rows, section = [], None
    for line in md.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 6:
            continue
        heading = re.fullmatch(r"\*\*(.+)\*\*", cells[0])
        if heading:
            section = heading.group(1)
        elif re.fullmatch(r"[A-Z][A-Z0-9_]+", cells[0]):
            rows.append(
                {"code": cells[0], "unit": cells[2], "polarity": cells[3], "freq": cells[4],
                 "comparators": cells[5].split(), "section": section}
            )
    assert len(rows) > 40, f"could not read the indicator table of {md}"
    return rows


@pytest.fixture(scope="module")
def cat():
    return load_catalogue()


# ---------------------------------------------------------------- the contract
def test_every_contract_code_is_in_the_catalogue_in_report_order(cat):
    contract = [r["code"] for r in _contract_rows()]
    missing = [c for c in contract if c not in cat]
    assert missing == []
    ours = [c for c in cat.codes if c in set(contract)]
    assert ours == contract


def test_catalogue_agrees_with_contract_on_unit_polarity_frequency_and_comparators(cat):
    for row in _contract_rows():
        ind = cat.get(row["code"])
        assert (ind.unit, ind.polarity, ind.frequency, list(ind.comparators)) == (
            row["unit"], row["polarity"], row["freq"], row["comparators"]
        ), row["code"]


def test_indicators_sit_in_the_report_sections(cat):
    titles = {s.id: s.title for s in cat.sections}
    for row in _contract_rows():
        assert titles[cat.get(row["code"]).section] == row["section"], row["code"]


def test_sections_in_report_order_with_url_slugs(cat):
    assert [s.slug for s in cat.sections] == [
        "population", "placements", "routes-into-care", "assessments-reviews",
        "education", "health", "adoption", "care-leavers",
    ]
    s = cat.section("care-leavers")
    assert s.title == "Care leavers"
    assert [i.code for i in s.indicators] == ["CL_EET_PCT", "CL_SUITABLE_ACCOM_PCT", "CL_NALM_PCT"]
    assert all(s.summary.strip() for s in cat.sections)
    with pytest.raises(KeyError, match="care-leavers"):
        cat.section("leavers")


def test_rag_rules_follow_the_brief(cat):
    for ind in cat:
        if ind.polarity == "none":
            assert ind.rag_method == "none", ind.code
        elif ind.code.startswith(("A1_DAYS", "A2_DAYS", "A10_DAYS")):
            assert ind.rag_method == "target" and ind.target is not None, ind.code
        elif "ENG" in ind.comparators:
            assert ind.rag_method == "comparator", ind.code
        else:
            assert ind.rag_method == "none", ind.code
    assert cat.get("A1_DAYS_3YR").target == 426
    assert cat.get("A10_DAYS_3YR").target == 426
    assert cat.get("A2_DAYS_3YR").target == 121
    assert cat.get("A1_WITHIN_PCT").rag_method == "none"


def test_adoption_measures_are_marked_computed(cat):
    computed = {i.code for i in cat if i.computed == "adoption"}
    assert computed == {i.code for i in cat if re.match(r"A(1|2|10)_", i.code)} | {"ADOPTIONS_NUMBER"}


def test_breakdowns_the_board_asked_for(cat):
    assert cat.get("HEALTH_CHECKS_PCT").breakdowns == {
        "check_type": ("initial", "review"), "placed": ("inside_area", "outside_area")
    }
    assert cat.get("DENTAL_CHECKS_PCT").breakdowns == {"placed": ("inside_area", "outside_area")}
    assert "agency_foster" in cat.get("PLACEMENT_TYPE").breakdowns["placement_type"]
    assert cat.get("HOMES_GOOD_OUTSTANDING_PCT").breakdowns["ofsted_rating"][:2] == ("outstanding", "good")


def test_year_types(cat):
    assert cat.get("POP_0_17").year_type == "calendar"
    assert {cat.get(c).year_type for c in ("KS2_RWM_PCT", "KS4_PROGRESS8", "ABSENCE_PERSISTENT_PCT")} == {"academic"}
    assert cat.get("CL_EET_PCT").year_type == "financial"


# ---------------------------------------------------------------- lookups
@pytest.mark.parametrize(
    "name, code",
    [
        ("Children looked after who had their annual health assessment", "HEALTH_CHECKS_PCT"),
        ("Children looked after who had their teeth checked by a dentist", "DENTAL_CHECKS_PCT"),
        ("  children looked after who had their TEETH checked by a dentist. ", "DENTAL_CHECKS_PCT"),
        ("cl eet pct", "CL_EET_PCT"),
        ("Cl-Eet-Pct", "CL_EET_PCT"),
        ("GCSE A* - C in Eng & Maths", "KS4_ENG_MATHS_PCT"),
        ("Care leavers in education, employment & training", "CL_EET_PCT"),
        ("Care leavers in education, employment or training", "CL_EET_PCT"),  # its title
    ],
)
def test_resolve_codes_and_published_names(cat, name, code):
    assert cat.resolve(name).code == code


def test_resolve_unknown_is_none(cat):
    assert cat.resolve("Number of unicorns") is None


def test_get_unknown_code_suggests_the_near_one(cat):
    with pytest.raises(KeyError) as err:
        cat.get("CL_EET")
    assert "CL_EET_PCT" in str(err.value)
    assert cat.suggest("health asessment")[0] == "HEALTH_CHECKS_PCT"
    assert len(cat.suggest("CL_EET_PC", n=2)) <= 2


def test_contains(cat):
    assert "CL_EET_PCT" in cat
    assert "NOT_A_CODE" not in cat


# ---------------------------------------------------------------- formats
@pytest.mark.parametrize(
    "code, value, text",
    [
        ("CL_EET_PCT", 61, "61%"),
        ("CL_EET_PCT", 60.5, "61%"),  # half up, as people round
        ("ASYLUM_PCT", 1.7, "1.7%"),
        ("POP_0_17", 59038, "59,038"),
        ("CLA_RATE", 108.3, "108"),
        ("A1_DAYS_3YR", 615, "615 days"),
        ("KS4_ATTAINMENT8", 24.1, "24.1"),
        ("KS4_PROGRESS8", -1.16, "-1.16"),
        ("KS4_PROGRESS8", -0.001, "0.00"),
        ("CL_EET_PCT", None, "no figure"),
        ("CL_EET_PCT", math.nan, "no figure"),
        ("POP_0_17", 0, "0"),  # zero is a figure
    ],
)
def test_format_value(cat, code, value, text):
    assert cat.get(code).format_value(value) == text


def test_pandas_missing_is_no_figure(cat):
    pd = pytest.importorskip("pandas")
    assert cat.get("CL_EET_PCT").format_value(pd.NA) == "no figure"


# ---------------------------------------------------------------- RAG and direction
def test_rag_against_target_lower_is_better(cat):
    a1 = cat.get("A1_DAYS_3YR")  # target 426 days, amber within 30
    assert a1.rag(615) == "red"
    assert a1.rag(426) == "green"
    assert a1.rag(300) == "green"
    assert a1.rag(450) == "amber"
    assert a1.rag(426.4) == "green"  # reads as 426 days, so it meets the target
    assert a1.rag(None) is None


def test_target_by_year_overrides_standing_target(tmp_path):
    text = CATALOGUE.read_text(encoding="utf-8").replace(
        "target: 121\n    targets_by_year: {}", 'target: 121\n    targets_by_year: {"2014-15": 152}', 1
    )
    path = tmp_path / "indicators.yaml"
    path.write_text(text, encoding="utf-8")
    a2 = load_catalogue(path).get("A2_DAYS_3YR")
    assert a2.target_for("2014-15") == 152
    assert a2.target_for("2014/15") == 152
    assert a2.target_for("2017-18") == 121
    assert a2.target_for(None) == 121
    assert a2.rag(150, fy_label="2014-15") == "green"
    assert a2.rag(150, fy_label="2017-18") == "amber"


def test_rag_against_england_by_polarity(cat):
    eet = cat.get("CL_EET_PCT")  # up, amber within 5 points
    assert eet.rag(61, england=50) == "green"
    assert eet.rag(46, england=50) == "amber"
    assert eet.rag(40, england=50) == "red"
    assert eet.rag(61) is None  # no England figure, no colour
    absence = cat.get("ABSENCE_OVERALL_PCT")  # down, amber within 1 point
    assert absence.rag(3.3, england=3.9) == "green"
    assert absence.rag(4.5, england=3.9) == "amber"
    assert absence.rag(5.5, england=3.9) == "red"


def test_no_rag_for_context_or_untargeted_indicators(cat):
    assert cat.get("CLA_RATE").rag(108, england=62) is None  # polarity none
    assert cat.get("A1_WITHIN_PCT").rag(10, england=90) is None  # no target, no comparator
    assert cat.get("PLACED_20_MILES_PCT").rag(50) is None


def test_change_direction_by_polarity(cat):
    up, down, none = cat.get("CL_EET_PCT"), cat.get("PLACED_20_MILES_PCT"), cat.get("CLA_NUMBER")
    assert up.change_direction(56, 61) == "improving"
    assert up.change_direction(61, 56) == "worsening"
    assert down.change_direction(16, 14) == "improving"
    assert down.change_direction(14, 16) == "worsening"
    assert up.change_direction(61, 61.2) == "no change"  # both read 61%
    assert none.change_direction(500, 600) is None
    assert up.change_direction(None, 61) is None


# ---------------------------------------------------------------- validation
def test_validation_reports_every_problem_at_once(tmp_path):
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    inds = data["indicators"]
    inds[0]["unit"] = "percentage"
    inds[1]["polarity"] = "sideways"
    inds[2]["section"] = "nowhere"
    del inds[3]["title"]
    inds[4]["code"] = inds[5]["code"]
    inds[6]["aliases"] = ["Children looked after who had their annual health assessment"]
    inds[7]["polarty"] = "up"
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")

    with pytest.raises(CatalogueError) as err:
        load_catalogue(path)
    problems = err.value.problems
    message = str(err.value)
    for expected in ("'percentage'", "'sideways'", "'nowhere'", "missing title", "duplicate code",
                     "duplicate alias", "'polarty'"):
        assert any(expected in p for p in problems), expected
        assert expected in message
    assert len(problems) >= 7
    assert str(path) in message
    assert "line " in message  # points at where in the file


def test_each_problem_names_the_field_what_was_found_and_what_was_expected(tmp_path):
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    inds = data["indicators"]
    inds[0]["decimals"] = 7
    inds[1]["target"] = "426"  # text, not a number
    inds[2]["breakdowns"] = {"Placed Where": ["inside_area"]}
    inds[3]["targets_by_year"] = {"2017": 426}
    inds[4]["comparators"] = ["ENG", "XX"]
    data["sections"][0]["colour"] = "red"
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(CatalogueError) as err:
        load_catalogue(path)
    problems = err.value.problems
    codes = [i["code"] for i in inds[:5]]
    for n, (code, expected) in enumerate(zip(codes, (
            "decimals must be less than or equal to 4, got 7",
            "target must be a valid number, got '426'",
            "breakdowns key 'Placed Where' must be lower_case_with_underscores",
            "targets_by_year key '2017' must be a financial year like '2017-18'",
            "comparators[1] 'XX' is not one of WM, SN or ENG")), start=1):
        assert any(p.startswith(f"indicator {n} ({code}, line ") and p.endswith(expected)
                   for p in problems), (code, expected, problems)
    assert any(p.startswith("section 1 (") and "unknown field 'colour'" in p for p in problems)
    assert len(problems) == 6  # one bad section does not make its indicators' section unknown


def test_polarity_none_with_a_rag_is_refused(tmp_path):
    data = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    cla_rate = next(i for i in data["indicators"] if i["code"] == "CLA_RATE")
    cla_rate["rag"] = {"method": "comparator", "amber_margin": 5}
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(CatalogueError, match="CLA_RATE.*polarity none"):
        load_catalogue(path)


def test_invalid_yaml_is_reported(tmp_path):
    path = tmp_path / "indicators.yaml"
    path.write_text("sections: [\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="not valid YAML"):
        load_catalogue(path)


# ---------------------------------------------------------------- extending
NEW_INDICATOR = """
  - code: CL_STAYING_PUT_PCT
    title: "Care leavers staying put with former foster carers"
    definition: "The percentage of 18-year-old care leavers still living with their former foster carers."
    section: care-leavers
    unit: percent
    polarity: up
    frequency: M
    aliases: ["Care leavers in staying put arrangements"]
    source: "Leaving care service records"
"""


def test_adding_an_indicator_is_an_edit_to_the_yaml_alone(tmp_path):
    path = tmp_path / "indicators.yaml"
    path.write_text(CATALOGUE.read_text(encoding="utf-8").rstrip("\n") + "\n" + NEW_INDICATOR, encoding="utf-8")
    cat = load_catalogue(path)
    assert "CL_STAYING_PUT_PCT" in cat
    assert cat.indicators[-1].code == "CL_STAYING_PUT_PCT"
    assert cat.section("care-leavers").indicators[-1].code == "CL_STAYING_PUT_PCT"
    assert cat.resolve("cl staying put pct").code == "CL_STAYING_PUT_PCT"
    assert cat.resolve("Care leavers in staying-put arrangements").code == "CL_STAYING_PUT_PCT"
    new = cat.get("CL_STAYING_PUT_PCT")
    assert isinstance(new, Indicator)
    assert new.format_value(72) == "72%"
    assert new.rag(72) is None  # no rule given, so no colour
    assert new.change_direction(60, 72) == "improving"


def test_load_is_cached_per_path_and_default_is_the_repo_file(cat):
    assert load_catalogue() is cat
    assert load_catalogue(CATALOGUE) is cat
    assert cat.path == CATALOGUE.resolve()
