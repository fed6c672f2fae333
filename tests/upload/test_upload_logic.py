"""The upload page's pure helpers: decoding, staging, and what the page says."""
from __future__ import annotations

import base64
from datetime import date

import pytest

from pipelines.uploads import check_files, commit_checked
from webapp import upload_logic as ul

NOVEMBER = (b"indicator_code,period,value,numerator,denominator\n"
            b"HEALTH_CHECKS_PCT,2026-11,88.2,380,431\nCLA_NUMBER,2026-11,580,,\n")


def data_url(data: bytes) -> str:
    return "data:text/csv;base64," + base64.b64encode(data).decode()


def test_decode_round_trips_a_file():
    assert ul.decode_contents(data_url(NOVEMBER), "nov.csv") == NOVEMBER


def test_decode_refuses_a_payload_over_the_limit_before_decoding_it():
    with pytest.raises(ul.UploadRefused) as exc:
        ul.decode_contents(data_url(b"x" * 3000), "big.csv", limit=2000)
    msg = str(exc.value)
    assert "big.csv is" in msg and "the limit is" in msg


def test_decode_states_the_20_mb_limit_for_a_50_mb_file():
    payload = "data:text/csv;base64," + "A" * (50 * 1024 * 1024 * 4 // 3)
    with pytest.raises(ul.UploadRefused, match=r"50\.0 MB; the limit is 20 MB"):
        ul.decode_contents(payload, "huge.csv")


@pytest.mark.parametrize("contents", [None, "no comma here", "data:text/csv;base64,@@@@"])
def test_decode_refuses_damaged_payloads(contents):
    with pytest.raises(ul.UploadRefused, match="x.csv"):
        ul.decode_contents(contents, "x.csv")


def test_staged_files_come_back_in_order_with_their_names(tmp_path):
    token = ul.stage_files(tmp_path, [("b/../nov.csv", b"1"), ("dec.xlsx", b"22")])
    assert ul.load_staged(tmp_path, token) == [("b/../nov.csv", b"1"), ("dec.xlsx", b"22")]
    ul.drop_staged(tmp_path, token)
    with pytest.raises(ul.UploadRefused, match="upload them again"):
        ul.load_staged(tmp_path, token)


@pytest.mark.parametrize("token", [None, "../../etc", "A" * 32, ""])
def test_a_forged_token_reads_nothing(tmp_path, token):
    with pytest.raises(ul.UploadRefused):
        ul.load_staged(tmp_path, token)


def test_next_month_rolls_over_the_year():
    assert ul.next_month(date(2026, 10, 31)) == "2026-11"
    assert ul.next_month(date(2026, 12, 31)) == "2027-01"
    assert ul.next_month(None, today=date(2026, 5, 3)) == "2026-05"


def test_a_new_month_can_be_committed_and_the_preview_lists_it(config):
    checked = check_files([("nov.csv", NOVEMBER)], config=config)
    text, ok = ul.check_status(checked)
    assert ok and "2 new" in text and "Nothing has changed yet" in text
    summary = ul.preview_summary_rows(checked)
    assert {(r["indicator"], r["period"], r["new"]) for r in summary} == {
        ("HEALTH_CHECKS_PCT", "Nov 2026", 1), ("CLA_NUMBER", "Nov 2026", 1)}
    values = ul.preview_value_rows(checked)
    assert {"change": "new", "indicator": "HEALTH_CHECKS_PCT", "new value": "88.2"}.items() \
        <= next(v for v in values if v["indicator"] == "HEALTH_CHECKS_PCT").items()
    assert ul.affected_codes(checked) == ["CLA_NUMBER", "HEALTH_CHECKS_PCT"]


def test_a_revision_shows_old_and_new_side_by_side(config):
    revised = b"indicator_code,period,value,numerator,denominator\nCLA_NUMBER,2026-10,575,,\n"
    checked = check_files([("oct.csv", revised)], config=config)
    row = ul.preview_value_rows(checked)[0]
    assert (row["change"], row["old value"], row["new value"]) == ("revised", "573", "575")


def test_the_same_file_twice_says_nothing_would_change(config):
    commit_checked(check_files([("nov.csv", NOVEMBER)], config=config), config=config,
                   user="ed")
    text, ok = ul.check_status(check_files([("nov.csv", NOVEMBER)], config=config))
    assert not ok
    assert "already loaded as upload 3 by ed" in text and "nothing would change" in text


def test_header_only_file_cannot_be_committed(config):
    checked = check_files([("h.csv", b"indicator_code,period,value\n")], config=config)
    text, ok = ul.check_status(checked)
    assert not ok and "nothing can be loaded" in text
    assert "no figures found" in checked[0].errors[0].message


def test_errors_block_commit_and_are_listed_first(config):
    bad = (b"indicator_code,period,value\nHEALTH_CHECKS_PCT,2026-11,120\n"
           b"CLA_NUMBER,2026-11,580\n")
    checked = check_files([("bad.csv", bad)], config=config)
    text, ok = ul.check_status(checked)
    assert not ok and text.startswith("1 error(s) in bad.csv: nothing can be loaded")
    row = ul.report_rows(checked)[0]
    assert (row["severity"], row["row"], row["column"], row["value"]) == (
        "error", 2, "value", "120")


def test_history_and_revert_confirmation_say_what_will_change(config):
    from pipelines.store.warehouse import history, revert_preview
    rows = ul.history_rows(history(config.warehouse_path))
    assert rows[0]["file"] == "[local_monthly_long.csv](/uploads/2/file)"
    assert rows[0]["who"] == "builder" and rows[0]["status"] == "committed"
    loaded = rows[0]["values loaded"]
    assert loaded > 1000
    text = ul.revert_confirm_text(revert_preview(config.warehouse_path, 2))
    assert text.startswith(f"Revert upload 2 (local_monthly_long.csv)? {loaded} value(s) it "
                           "added will be removed and 0 value(s) it revised")
