"""One module per table layout ("kind"); ``pipelines.sources.normalise`` detects and dispatches.

Each layout module has ``KIND`` (its name) and ``read(ctx) -> list[Item]``: the rows of the raw
table as items (indicator, area, period, breakdown and the value text), with problems added to
``ctx``. What they share (column roles, the row walk, cells, areas, statuses, value parsing) is in
``base.py``. A new layout is a new module here plus a line in ``LAYOUTS`` and in
``normalise.detect_kind``.
"""

from __future__ import annotations

from pipelines.sources.layouts import ees, handkeyed, lginform, long, wide

LAYOUTS = {m.KIND: m.read for m in (long, wide, ees, lginform, handkeyed)}

# Local extracts and hand-keyed files: the percent scale is decided from the file (PERCENT_RULE 3-4);
# published files (EES, LG Inform+) are already percentages.
LOCAL_KINDS = ("long", "wide", "handkeyed")
