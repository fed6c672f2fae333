"""`lacdash sample`: build the sample warehouse by loading data/sample/ through the same
pipeline an insight team uses, so the sample files are proven examples."""
from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from pipelines.core.catalogue import load_catalogue
from pipelines.core.config import PROJECT_ROOT
from pipelines.measures.ssda903 import monthly as ssda903_monthly
from pipelines.plan_uploads import import_plan_file
from pipelines.uploads import check_files, commit_checked
from tools.sample import generate

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


def _load(config, files: list[tuple[str, bytes]], label: str, today: date | None = None) -> str:
    checked = check_files(files, config=config, today=today)
    for c in checked:
        if c.errors:
            msgs = "\n".join(p.message for p in c.errors[:20])
            raise SampleError(f"the sample file {c.file_name or label} does not load:\n{msgs}")
    return "\n".join(r.message for r in commit_checked(checked, config=config, user="sample"))


def ssda903_codes(catalogue=None) -> set[str]:
    """Monthly indicator codes the SSDA903 tables give (the catalogue names each one's
    definition): with `--ssda903` these come from the extract, not the long or wide file."""
    out = set()
    for ind in catalogue or load_catalogue():
        name = getattr(ind, "ssda903", None) or ssda903_monthly._SSDA903.get(ind.code)
        if name in ssda903_monthly.MONTHLY or name == "placement_types":
            out.add(ind.code)
    return out


def _without(name: str, data: bytes, codes: set[str]) -> bytes:
    """A long or wide sample file without the rows of `codes`."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    col = 0  # indicator_code / Indicator Code is the first column of both layouts
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(
        [rows[0]] + [r for r in rows[1:] if r and r[col] not in codes])
    return buf.getvalue().encode("utf-8")


def build_sample(config, sample_dir: Path = SAMPLE_DIR, *, ssda903: bool = False) -> str:
    """Load the sample. `ssda903=True` (`lacdash sample --ssda903`, not yet the default):
    the monthly figures the SSDA903 tables give, and adoption, come from Sample Borough's
    generated 903 extract through the same path `lacdash ingest` takes (DfE rules report,
    reconciliation); the long and wide files then give only the other indicators and the
    adoption records are not loaded. The upload's archived copy (the tables, zipped) is the
    example extract editors download from the upload page."""
    if not config.is_sample and config.warehouse_path.exists():
        raise SampleError(
            f"{config.warehouse_path} belongs to {config.name}, not the sample: refusing to "
            "mix synthetic figures into it. Use --db with a new file.")
    lines = []
    codes = ssda903_codes() if ssda903 else set()
    for name in SAMPLE_FILES:
        if ssda903 and name == "adoption_records.csv":
            continue  # the extract's episodes, ad1 and placed_for_adoption give adoption
        data = (sample_dir / name).read_bytes()
        if codes and name in ("local_monthly_long.csv", "local_latest_month_wide.csv"):
            data = _without(name, data, codes)
        lines.append(_load(config, [(name, data)], name))
    if ssda903:
        files = generate.ssda903_texts()
        # The extract ends with the sample's latest month, whatever today's date is.
        lines.append(_load(config, [(n, t.encode("utf-8")) for n, t in files.items()],
                           "SSDA903 extract", today=generate.LAST_DAY))
    lines += _load_plan(config, sample_dir)
    lines.append(f"Sample warehouse ready: {config.warehouse_path}")
    return "\n".join(lines)
