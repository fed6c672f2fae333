"""Every file in broken/ is refused with a message naming what is wrong (and where), and the
warehouse is byte-for-byte unchanged: neither checking nor an attempted commit writes."""
from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.uploads import check_files, commit_checked
from tests.upload.conftest import warehouse_bytes
from webapp import upload_logic as ul

BROKEN = Path(__file__).parent / "broken"

# file -> words the first error must contain (row and column where the file has them)
EXPECTED = {
    "empty.csv": ["is empty"],
    "whitespace_only.csv": ["is empty"],
    "header_only.csv": ["no figures"],
    "utf16_without_bom.csv": ["binary file"],
    "truncated.xlsx": ["not a readable XLSX"],
    "zip_not_workbook.xlsx": ["not a readable XLSX"],
    "photo_renamed.csv": ["PNG image"],
    "photo_renamed.xlsx": ["PNG image"],
    "document.pdf.csv": ["PDF document"],
    "old_excel_97.xls": ["old-style Excel"],
    "no_header_numbers_only.csv": ["no header row"],
    "unknown_code.csv": ["row 3", "column 'indicator_code'", "HELTH_CHEKS"],
    "impossible_month.csv": ["row 2", "column 'period'", "2018-13"],
    "impossible_date_text.csv": ["row 2", "column 'period'", "31/02/2026"],
    "future_month.csv": ["row 2", "column 'period'", "future"],
    "percent_over_100.csv": ["row 2", "column 'value'", "112.5", "between 0 and 100"],
    "negative_count.csv": ["row 2", "column 'value'", "-4"],
    "numerator_over_denominator.csv": ["row 2", "column 'numerator'", "450"],
    "conflicting_duplicates.csv": ["row 3", "conflicting duplicate", "row 2"],
    "formula_hyperlink.csv": ["row 2", "column 'value'", "=HYPERLINK"],
    "formula_in_code.csv": ["row 2", "column 'indicator_code'", "formula"],
    "text_in_number_column.csv": ["row 2", "column 'value'", "ninety"],
    "missing_value_column.csv": ["missing required column 'value'"],
    "missing_period_column.csv": ["missing required column 'period'"],
    "ambiguous_fraction_percent.csv": ["row 2", "column 'value'", "ambiguous"],
    "unknown_breakdown.csv": ["row 2", "column 'placement_type'", "on_the_moon"],
    "negative_denominator.csv": ["row 2", "column 'denominator'", "-431"],
    "xlsx_percent_over_100.xlsx": ["row 2", "column 'value'", "190"],
    "xlsx_text_in_number.xlsx": ["row 2", "column 'value'", "five hundred"],
}


def test_the_corpus_on_disk_is_the_one_listed():
    on_disk = {p.name for p in BROKEN.iterdir() if p.suffix != ".py" and p.is_file()}
    assert on_disk == set(EXPECTED)
    assert len(EXPECTED) + 1 >= 25  # + the 50 MB file made at test time


def _refusal(checked) -> str:
    """The first error, or the page's refusal for files with no error but nothing to load."""
    c = checked[0]
    if c.errors:
        return c.errors[0].message
    text, can_commit = ul.check_status(checked)
    assert not can_commit, f"{c.file_name} would be committed: {text}"
    return text


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_file_is_refused_and_nothing_changes(config, name):
    before = warehouse_bytes(config)
    data = (BROKEN / name).read_bytes()
    checked = check_files([(name, data)], config=config)
    message = _refusal(checked)
    assert name in message
    for words in EXPECTED[name]:
        assert words in message, message
    if checked[0].errors:
        with pytest.raises(ValueError, match="refusing to commit"):
            commit_checked(checked, config=config, user="editor")
    else:  # nothing to load: an attempted commit writes no upload
        results = commit_checked(checked, config=config, user="editor")
        assert results[0].upload_id is None
    assert warehouse_bytes(config) == before


def test_header_only_is_an_error_in_the_checks_themselves(config):
    checked = check_files([("header_only.csv", (BROKEN / "header_only.csv").read_bytes())],
                          config=config)
    assert checked[0].errors


def test_a_broken_file_among_good_ones_stops_them_all(config):
    before = warehouse_bytes(config)
    good = (b"indicator_code,period,value\nCLA_NUMBER,2026-11,580\n")
    checked = check_files([("good.csv", good),
                           ("percent_over_100.csv",
                            (BROKEN / "percent_over_100.csv").read_bytes())], config=config)
    assert not checked[0].errors and checked[1].errors
    with pytest.raises(ValueError):
        commit_checked(checked, config=config, user="editor")
    assert warehouse_bytes(config) == before


def test_a_50_mb_file_is_refused_before_it_is_read(config):
    before = warehouse_bytes(config)
    row = b"CLA_NUMBER,2026-11,580,,\n"
    data = b"indicator_code,period,value,numerator,denominator\n" + row * (
        50 * 1024 * 1024 // len(row))
    assert len(data) > 50_000_000
    import base64
    payload = "data:text/csv;base64," + base64.b64encode(data).decode()
    with pytest.raises(ul.UploadRefused) as exc:
        ul.decode_contents(payload, "fifty_mb.csv")
    assert "fifty_mb.csv is 50.0 MB; the limit is 20 MB" in str(exc.value)
    assert warehouse_bytes(config) == before
