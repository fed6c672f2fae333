"""`lacdash sample`: build the sample warehouse by loading data/sample/ through the same
pipeline an insight team uses, so the sample files are proven examples."""
from __future__ import annotations

from pathlib import Path

from pipelines.core.config import PROJECT_ROOT

SAMPLE_DIR = PROJECT_ROOT / "data" / "sample"
# Comparators first, then the local months, then the adoption records (their computed
# indicators run up to the latest local month).
SAMPLE_FILES = ["comparators_handkeyed.csv", "comparators_ees.csv", "local_monthly_long.csv",
                "local_latest_month_wide.csv", "adoption_records.csv"]


class SampleError(Exception):
    pass


def build_sample(config, sample_dir: Path = SAMPLE_DIR) -> str:
    from pipelines.uploads import check_files, commit_checked
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
    lines.append(f"Sample warehouse ready: {config.warehouse_path}")
    return "\n".join(lines)
