"""Ranks are worked out once per warehouse file (issue 9): an open Warehouse still gives the
new rank after a commit changes another authority's published figure."""
from __future__ import annotations

import csv
import io

from pipelines.store.queries import Warehouse
from pipelines.uploads import check_files, commit_checked

from tests.published.conftest import PUBLISHED, WOLVES, write_config

NAME = "la_care_leavers_activity.csv"
EET = {"time_period": "2025", "geographic_level": "Local authority",
       "care_leaver_age": "19 to 21 years", "breakdown": "Total in education, employment or training"}


def _rows() -> tuple[list[str], list[dict]]:
    with open(PUBLISHED / NAME, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames), list(reader)


def _csv(fields, rows) -> bytes:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


def test_an_open_warehouse_ranks_again_after_a_commit(tmp_path):
    config = write_config(tmp_path)
    fields, rows = _rows()
    commit_checked(check_files([(NAME, _csv(fields, rows))], config=config), config=config)
    w = Warehouse(config)
    before = w.summary("CL_EET_PCT")["rank"]
    assert w.summary("CL_EET_PCT")["rank"] == before  # same file, same answer

    eet = [r for r in rows if all(r[k] == v for k, v in EET.items())]
    mine = float(next(r for r in eet if r["new_la_code"] == WOLVES)["care_leaver_percent"])
    # one authority below Wolverhampton (higher is better) moves above it
    below = next(r for r in eet if r["care_leaver_percent"].isdigit()
                 and float(r["care_leaver_percent"]) < mine)
    below["care_leaver_percent"] = str(int(mine) + 5)
    checked = check_files([("la_care_leavers_activity_revised.csv", _csv(fields, rows))],
                          config=config)
    assert not checked[0].errors and checked[0].plan.counts["revised"] == 1
    commit_checked(checked, config=config)

    after = w.summary("CL_EET_PCT")["rank"]
    assert after["year"] == before["year"] == "2024-25"
    assert after["england"]["rank"] == before["england"]["rank"] + 1
    assert after["england"]["of"] == before["england"]["of"]
    assert after["change_england"] == before["change_england"] - 1
    assert after["previous"] == before["previous"]  # 2023-24 unchanged
