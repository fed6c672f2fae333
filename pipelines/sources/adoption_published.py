"""DfE's England averages of the time between adoption stages, as published.

`national_cla_adopted_average_time_between_adoption_process_stages.csv` (Children looked
after in England including adoptions) writes each average as "yy:mm" text: years and
months ("01:07" is 1 year 7 months). Which of its rows feeds which indicator is catalogue
data (`published:` with `transform: "years:months as days"`, read by
pipelines.sources.published); this module reads the figures.

Only one of the file's stages is a scorecard measure: stage 4, "Total average time between
entry into care and date placed for adoption" (all ages), is England's A1 for one year
(A1_DAYS_1YR). Stage 2 starts at the council's decision that the child should be placed for
adoption, not at the court's authority to place (placement order), so it is not A2; nothing
in the file is A10 or a three-year average. Those keep no England figure unless one is loaded
from elsewhere (hand-keyed from the adoption scorecard).

A figure published to the month is converted at 365.25 / 12 days a month and rounded to a
whole day: it is good to about 15 days either way, which the adoption page says.
"""
from __future__ import annotations

import math
import re

from pipelines.sources.layouts.base import parse_value
from pipelines.sources.validate import TEXT_REASON

DAYS_PER_MONTH = 365.25 / 12
PRECISION_NOTE = ("England's figure is published in years and months (to the month), so in "
                  "days it is good to about 15 days either way")
_YY_MM = re.compile(r"^\s*(\d{1,2})\s*:\s*(\d{1,2})\s*$")


def years_months_as_days(text) -> tuple[float, str | None]:
    """'01:07' -> (578.0, None): years and months as whole days. DfE symbols and blanks are
    missing with their reason (never zero); anything else is missing with a reason naming
    what was expected."""
    if isinstance(text, str):
        m = _YY_MM.match(text)
        if m:
            years, months = int(m.group(1)), int(m.group(2))
            if months < 12:
                return float(round((12 * years + months) * DAYS_PER_MONTH)), None
    _, reason, _ = parse_value(text)
    if reason is not None and not reason.startswith(TEXT_REASON):
        return math.nan, reason  # a DfE symbol or a blank: missing with its reason
    # a bare number or other text is not years:months: never guess which it is
    return math.nan, f"{TEXT_REASON}{text} (expected years:months such as 01:07)"
