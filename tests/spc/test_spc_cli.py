"""`lacdash spc` and `lacdash step-change` on a real warehouse: the JSON contract, the
signal a board member would see, step changes rebasing the limits and the audit log."""
from __future__ import annotations

import json
from statistics import mean

import pandas as pd

from cli import main
from pipelines.core.config import load_config
from pipelines.store.queries import Warehouse

MONTHS = pd.date_range("2017-01-01", periods=15, freq="MS")
VALUES = [60, 61, 59, 62, 60, 61, 58, 60, 62, 61, 59, 60, 61, 60, 40]   # a fall in Mar 2018


def _load(config, capsys, tmp_path, values=VALUES, den=200):
    rows = ["Indicator Code,Month,Value,Numerator,Denominator"]
    for m, v in zip(MONTHS, values):
        rows.append(f"CL_EET_PCT,{m:%b-%y},{v}%,{v * den // 100},{den}")
    f = tmp_path / "eet.csv"
    f.write_text("\n".join(rows) + "\n")
    assert main(["ingest", str(f), "--config", str(config.config_path)]) == 0
    capsys.readouterr()


def _spc(capsys, config, *extra):
    capsys.readouterr()
    rc = main(["spc", "CL_EET_PCT", "--json", "--config", str(config.config_path), *extra])
    out = capsys.readouterr().out
    assert rc == 0
    return json.loads(out)


def test_json_has_exactly_the_contract_keys_and_flags_the_fall(wolves_config, capsys, tmp_path):
    _load(wolves_config, capsys, tmp_path)
    j = _spc(capsys, wolves_config)
    assert list(j) == ["code", "as_at", "chart", "baseline", "mean", "upper", "lower",
                       "points", "variation", "assurance"]
    assert j["code"] == "CL_EET_PCT" and j["as_at"] == "2018-03" and j["chart"] == "xmr"
    assert j["baseline"] == {"from": "2017-01", "to": "2018-03"}
    assert j["mean"] == mean(VALUES)
    assert [p["period"] for p in j["points"]][:2] == ["2017-01", "2017-02"]
    assert set(j["points"][0]) == {"period", "value", "special_cause", "rules"}
    last = j["points"][-1]
    assert last["value"] == 40 and last["special_cause"] and last["rules"] == ["outside_limits"]
    assert j["lower"] > 40
    assert j["variation"] == "special_cause_concerning"      # higher is better for EET
    assert j["assurance"] is None                              # no target for this indicator
    # as at the month before the fall: common cause, the fall not shown
    j = _spc(capsys, wolves_config, "--as-at", "2018-02")
    assert j["variation"] == "common_cause" and len(j["points"]) == 14
    # the p' chart gives limits per point
    j = _spc(capsys, wolves_config, "--chart", "pprime")
    assert j["chart"] == "pprime" and len(j["upper"]) == 15


def test_step_change_rebases_and_is_logged(wolves_config, capsys, tmp_path):
    _load(wolves_config, capsys, tmp_path)
    cfg = str(wolves_config.config_path)
    assert main(["step-change", "CL_EET_PCT", "--from", "2018-01", "--reason",
                 "new case management system", "--user", "amy", "--config", cfg]) == 0
    j = _spc(capsys, wolves_config)
    # 3 months since the step change: too few for limits, so no judgement
    assert j["baseline"] == {"from": "2018-01", "to": "2018-03"}
    assert j["mean"] is None and j["upper"] is None and j["variation"] is None
    wh = Warehouse(load_config(cfg))
    log = wh.audit_log()
    assert "step change" in set(log.action)
    assert log.detail.str.contains("new case management system").any()
    # a step change needs a reason; removing one restores the limits and is logged
    assert main(["step-change", "CL_EET_PCT", "--from", "2018-02", "--reason", " ",
                 "--config", cfg]) == 2
    step = int(wh.step_changes("CL_EET_PCT").step_id.iloc[0])
    assert main(["step-change", "--remove", str(step), "--config", cfg]) == 0
    assert _spc(capsys, wolves_config)["variation"] == "special_cause_concerning"
    assert "step change removed" in set(Warehouse(load_config(cfg)).audit_log().action)


def test_annual_indicator_and_unknown_code_are_usage_errors(wolves_config, capsys, tmp_path):
    _load(wolves_config, capsys, tmp_path)
    cfg = str(wolves_config.config_path)
    assert main(["spc", "POP_0_17", "--config", cfg]) == 2
    assert "annual" in capsys.readouterr().err
    assert main(["spc", "NOT_A_CODE", "--config", cfg]) == 2
