"""Issue 15: the as-at control rewrites the address only when the month shown changes (the
dropdown reports its value as it mounts; writing ?as_at= for the month already shown drew
the whole page twice)."""
from __future__ import annotations

from datetime import date

from webapp.shell import search_for_choice

MONTHS = [date(2026, 8, 31), date(2026, 9, 30), date(2026, 10, 31)]


def test_latest_month_on_an_address_without_as_at_is_no_change():
    assert search_for_choice("2026-10", "", MONTHS) is None
    assert search_for_choice("2026-10", None, MONTHS) is None
    assert search_for_choice("2026-10", "?as_at=", MONTHS) is None
    assert search_for_choice("2026-10", "?tab=2", MONTHS) is None


def test_same_month_as_the_address_is_no_change():
    assert search_for_choice("2026-09", "?as_at=2026-09", MONTHS) is None


def test_another_month_is_written_keeping_other_parameters():
    assert search_for_choice("2026-09", "", MONTHS) == "?as_at=2026-09"
    assert search_for_choice("2026-10", "?as_at=2026-09", MONTHS) == "?as_at=2026-10"
    assert search_for_choice("2026-08", "?as_at=2026-09&tab=2", MONTHS) == "?as_at=2026-08&tab=2"


def test_nothing_chosen_or_nothing_loaded():
    assert search_for_choice(None, "?as_at=2026-09", MONTHS) is None
    assert search_for_choice("2026-10", "", []) == "?as_at=2026-10"
