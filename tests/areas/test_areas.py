"""The areas list and look-ups, checked against the project's indicator reference."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipelines.core.areas import (
    AreasError, SN, all_las, area_name, las_in_region, load_areas, region_of, resolve_area,
)

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "indicators.md"

# Wolverhampton's statistical neighbours with the ONS codes the DfE uses for them.
SN_CODES = {
    "Sandwell": "E08000028", "Stoke-on-Trent": "E06000021", "Walsall": "E08000030",
    "Kingston upon Hull": "E06000010", "Rochdale": "E08000005", "Coventry": "E08000026",
    "Doncaster": "E08000017", "Derby": "E06000015", "Middlesbrough": "E06000002",
    "North East Lincolnshire": "E06000012",
}


@pytest.fixture(scope="module")
def areas_section() -> str:
    if not REFERENCE.is_file():
        pytest.skip(f"reference file not present: {REFERENCE}")
    text = REFERENCE.read_text(encoding="utf-8")
    section = text.split("## Areas", 1)[1].split("\n## ", 1)[0]
    return re.sub(r"\s+", " ", section)


@pytest.fixture(scope="module")
def west_midlands(areas_section) -> list[tuple[str, str, str]]:
    listing = areas_section.split("(ONS code, DfE number):", 1)[1].split("- Statistical", 1)[0]
    found = re.findall(r"([A-Z][A-Za-z\- ]+?) (E\d{8}) (\d{3})", listing)
    assert len(found) == 14, found
    return [(n.strip(), c, d) for n, c, d in found]


def test_west_midlands_authorities_match_reference(west_midlands):
    df = load_areas().set_index("code")
    for name, code, number in west_midlands:
        assert code in df.index, f"{name} {code} missing"
        row = df.loc[code]
        assert row["dfe_number"] == number, (name, row["dfe_number"], number)
        assert row["region_code"] == "E12000005"
        assert bool(row["active"])
        assert resolve_area(name) == code
        assert resolve_area(number) == code
    assert las_in_region("E12000005") == sorted(c for _, c, _ in west_midlands)


def test_statistical_neighbours_in_reference_resolve(areas_section):
    listing = areas_section.split("nearest first:", 1)[1].split(".", 1)[0]
    names = [n.strip() for n in listing.split(",")]
    assert names == list(SN_CODES)
    for name in names:
        assert resolve_area(name) == SN_CODES[name], name
        assert region_of(SN_CODES[name]) is not None


def test_codes_unique_and_every_la_in_a_known_region():
    df = load_areas()
    assert not df["code"].duplicated().any()
    regions = set(df.loc[df["type"] == "region", "code"])
    assert regions == {f"E1200000{i}" for i in range(1, 10)}
    assert df.loc[df["code"] == "E92000001", "type"].tolist() == ["country"]
    las = df[df["type"] == "la"]
    assert las["region_code"].isin(regions).all()
    assert las["dfe_number"].str.fullmatch(r"\d{3}").all()
    # an active DfE number belongs to one authority only
    assert not las.loc[las["active"], "dfe_number"].duplicated().any()


def test_active_count_and_replaced_authorities():
    active = all_las()
    everyone = all_las(active_only=False)
    assert len(active) >= 150
    assert set(active) < set(everyone)
    replaced = {"E10000006", "E10000021", "E06000028", "E06000029", "E10000009", "E10000027", "E10000023"}
    assert replaced <= set(everyone)
    assert not replaced & set(active)
    for successor in ("E06000063", "E06000064", "E06000061", "E06000062", "E06000058", "E06000065", "E06000066"):
        assert successor in active
    # the small authorities the DfE still publishes
    assert resolve_area("City of London") == "E09000001"
    assert resolve_area("Isles of Scilly") == "E06000053"


@pytest.mark.parametrize("text, code", [
    ("Stoke on Trent", "E06000021"),
    ("stoke-on-trent", "E06000021"),
    ("STOKE-ON-TRENT", "E06000021"),
    ("Bristol, City of", "E06000023"),
    ("City of Bristol", "E06000023"),
    ("Bristol", "E06000023"),
    ("Kingston upon Hull, City of", "E06000010"),
    ("Herefordshire", "E06000019"),
    ("Hammersmith & Fulham", "E09000013"),
    ("St Helens", "E08000013"),
    ("Wolverhampton City Council", "E08000031"),
    ("e08000031", "E08000031"),
    (" E08000031 ", "E08000031"),
    ("336", "E08000031"),
    (336, "E08000031"),
    (336.0, "E08000031"),
    ("England", "E92000001"),
    ("ENGLAND", "E92000001"),
    ("West Midlands", "E12000005"),
    ("west midlands", "E12000005"),
    ("Yorkshire and the Humber", "E12000003"),
    ("London", "E12000007"),
    ("South West", "E12000009"),
    ("North Northamptonshire", "E06000061"),
    ("Cumbria", "E10000006"),
    ("Dorset", "E06000059"),  # the active Dorset, not the pre-2019 county
    ("825", "E06000060"),  # Buckinghamshire kept its number when it became unitary
    ("statistical neighbours", SN),
    ("Stat neighbours", SN),
    ("SN", SN),
    ("sn", SN),
    ("comparator", SN),
    ("Statistical neighbour average", SN),
])
def test_resolve_area(text, code):
    assert resolve_area(text) == code


@pytest.mark.parametrize("text", ["Atlantis", "", None, "999", "W06000015", "E99999999", float("nan")])
def test_resolve_area_unknown_is_none(text):
    assert resolve_area(text) is None


def test_names_and_regions():
    assert area_name("E08000031") == "Wolverhampton"
    assert area_name("E12000005") == "West Midlands"
    assert area_name("E92000001") == "England"
    assert area_name("E06000023") == "Bristol, City of"
    assert area_name("Z123") == "Z123"
    assert region_of("E08000031") == "E12000005"
    assert region_of("e09000007") == "E12000007"
    assert region_of("E92000001") is None
    assert region_of("nowhere") is None
    assert las_in_region("E99999999") == []
    assert len(las_in_region("E12000007")) == 33  # 32 boroughs and the City


def test_load_areas_returns_a_private_copy():
    df = load_areas()
    df.loc[0, "name"] = "Changed"
    assert load_areas().loc[0, "name"] == "England"


def test_bad_file_names_row_column_and_value(tmp_path):
    good = load_areas()
    bad = tmp_path / "areas.csv"
    lines = ["code,name,type,region_code,dfe_number,active",
             "E92000001,England,country,,,true",
             "E12000005,West Midlands,region,,,true",
             "E08000031,Wolverhampton,la,E12000099,336,true"]
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(AreasError) as err:
        load_areas(bad)
    msg = str(err.value)
    assert "row 4" in msg and "region_code" in msg and "E12000099" in msg
    assert len(good) > 150

    bad.write_text("\n".join(lines[:3] + ["E08000031,Wolverhampton,la,E12000005,36,true"]) + "\n")
    with pytest.raises(AreasError, match=r"row 4.*dfe_number.*'36'"):
        load_areas(bad)

    bad.write_text("\n".join(lines[:3] + ["E08000031,Wolverhampton,la,E12000005,336,yes"]) + "\n")
    with pytest.raises(AreasError, match=r"row 4.*active.*'yes'"):
        load_areas(bad)
