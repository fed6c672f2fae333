"""Run DfE's SSDA903 validation rules (csc-validator-be-903) on one collection year's files.

Runs INSIDE the validator's own virtual environment (it pins pandas<2, numpy<1.25, so it
cannot share ours); `pipelines/sources/ssda903_rules.py` calls it with subprocess.
stdin: JSON {"this_year": [paths], "prev_year": [paths], "collection_year": "2019/20",
"la": "E08000031", "ruleset": "lac2022_23"}. stdout: JSON {"ruleset", "rules_run",
"failed_rules", "issues": [{"code", "message", "table", "row", "child"}]} where row is the
0-based position in that table's file. Nothing else is printed on stdout.
"""
import contextlib
import importlib
import io
import json
import logging
import sys


def main():
    req = json.load(sys.stdin)
    logging.disable(logging.CRITICAL)
    with contextlib.redirect_stdout(io.StringIO()):
        from lac_validator import lac_validator
        from lac_validator.utils import process_uploaded_files
        module = importlib.import_module(f"lac_validator.rules.{req['ruleset']}")
        registry = getattr(module, "registry")
        files = {"This year": list(req["this_year"])}
        if req.get("prev_year"):
            files["Prev year"] = list(req["prev_year"])
        uploaded = process_uploaded_files(files)
        v = lac_validator.LacValidator(
            metadata={"collectionYear": req["collection_year"], "localAuthority": req["la"]},
            files=uploaded, registry=registry, selected_rules=None)
    issues = []
    messages = {str(r.code): r.message for _, r in registry.items()}
    for table, df in v.ds_results.items():
        if table == "metadata" or table.endswith("_last") or not hasattr(df, "columns"):
            continue
        for col in [c for c in df.columns if str(c).startswith("ERR_")]:
            hit = df[df[col].fillna(False).astype(bool)]
            code = col[4:]
            for idx, row in hit.iterrows():
                issues.append({"code": code, "message": messages.get(code, ""), "table": table,
                               "row": int(idx), "child": str(row.get("CHILD", ""))})
    json.dump({"ruleset": req["ruleset"], "rules_run": len(v.dones),
               "failed_rules": list(v.fails), "issues": issues}, sys.stdout)


if __name__ == "__main__":
    main()
