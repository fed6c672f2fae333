"""`lacdash sample`: build the sample warehouse by loading data/sample/ through the same
pipeline an insight team uses, so the sample files are proven examples."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from pipelines.core.catalogue import load_catalogue
from pipelines.core.config import PROJECT_ROOT
from pipelines.plan_uploads import import_plan_file
from pipelines.uploads import check_files, commit_checked

SAMPLE_DIR = PROJECT_ROOT / "data" / "sample"
# Comparators first, then the local months, then the adoption records (their computed
# indicators run up to the latest local month).
SAMPLE_FILES = ["comparators_handkeyed.csv", "comparators_ees.csv", "all_children_synthetic.csv",
                "local_monthly_long.csv",
                "local_latest_month_wide.csv", "adoption_records.csv"]


# The board's own business, typed from the real papers (file, the date the paper stood):
# the 2013-14 action plan agreed on 26 June 2013 and the March 2018 schedule of outstanding
# matters (raised at the 18 January 2018 meeting).
PLAN_FILES = [("action_plan_2013_14.csv", date(2013, 6, 26)),
              ("outstanding_matters_2018_03.csv", date(2018, 1, 18))]


class SampleError(Exception):
    pass


def _load_plan(config, sample_dir: Path) -> list[str]:
    lines = []
    for name, recorded in PLAN_FILES:
        done = import_plan_file(config.warehouse_path, (sample_dir / name).read_bytes(), name,
                                load_catalogue(), "sample", duplicates="skip",
                                recorded_at=recorded)
        if done.parsed.errors:
            msgs = "\n".join(p.message for p in done.parsed.errors[:20])
            raise SampleError(f"the sample file {name} does not load:\n{msgs}")
        lines.append(done.message)
    return lines


def build_sample(config, sample_dir: Path = SAMPLE_DIR) -> str:
    if not config.is_sample and config.warehouse_path.exists():
        raise SampleError(
            f"{config.warehouse_path} belongs to {config.name}, not the sample: refusing to "
            "mix synthetic figures into it. Use --db with a new file.")
    lines = []
    for name in SAMPLE_FILES:
        path = sample_dir / name
        checked = check_files([(name, path.read_bytes())], config=config)
        c = checked[0]
        if c.errors:
            msgs = "\n".join(p.message for p in c.errors[:20])
            raise SampleError(f"the sample file {name} does not load:\n{msgs}")
        res = commit_checked(checked, config=config, user="sample")[0]
        lines.append(res.message)
    lines += _load_plan(config, sample_dir)
    lines.append(f"Sample warehouse ready: {config.warehouse_path}")
    return "\n".join(lines)
