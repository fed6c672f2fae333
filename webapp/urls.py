"""The as-at month in addresses: `?as_at=YYYY-MM` is the single source of truth for the
month a page reports. Pure functions, so they are tested without a browser."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qsl, urlencode

from pipelines.core.periods import month_label, parse_as_at


@dataclass(frozen=True)
class AsAt:
    """The month a page reports as at, or the reason it cannot report (a sentence)."""
    month: date | None
    error: str | None = None

    @property
    def param(self) -> str | None:
        return self.month.strftime("%Y-%m") if self.month else None


def check_as_at(text, months: list[date]) -> AsAt:
    """Read `?as_at=` against the months that have figures: blank means the latest month;
    a badly written month or one outside the loaded range gives a plain message."""
    if not months:
        return AsAt(None, "No figures are loaded yet. Load the monthly extract (or run "
                          "`lacdash sample` for the sample data) and reload this page.")
    if text is None or str(text).strip() == "":
        return AsAt(months[-1])
    try:
        month = parse_as_at(str(text))
    except ValueError:
        return AsAt(None, f"The address asks for figures as at '{text}', which is not a month: "
                          f"write it as YYYY-MM, for example ?as_at={months[-1]:%Y-%m}.")
    first, last = months[0], months[-1]
    if month < first or month > last:
        return AsAt(None, f"There are no figures as at {month.strftime('%B %Y')}: the loaded "
                          f"figures run from {month_label(first)} to {month_label(last)}.")
    return AsAt(month)


def query_params(search: str | None) -> dict[str, str]:
    """'?as_at=2018-01&x=1' -> {'as_at': '2018-01', 'x': '1'}."""
    return dict(parse_qsl((search or "").lstrip("?"), keep_blank_values=True))


def search_with_as_at(search: str | None, as_at: str | None) -> str:
    """The query string with `as_at` set (or removed when None), other parameters kept."""
    params = query_params(search)
    params.pop("as_at", None)
    if as_at:
        params = {"as_at": as_at, **params}
    return "?" + urlencode(params, safe="-") if params else ""


def href(path: str, as_at: str | None) -> str:
    """'/placements?as_at=2018-01' (no query when as_at is None)."""
    return path + search_with_as_at("", as_at)
