"""The pages as a request builds them on the sample: `/` opens with the exceptions, then the
month's key points, then the full table; a monthly indicator's page has its SPC chart."""
from __future__ import annotations

import json

import dash
import pytest

from tests.dashboard.conftest import dash_app, sample_config  # noqa: F401 - fixtures


def _text(component) -> str:
    return json.dumps(component.to_plotly_json(), default=lambda o: o.to_plotly_json()
                      if hasattr(o, "to_plotly_json") else str(o))


@pytest.fixture
def pages(dash_app):  # noqa: F811
    with dash_app.server.test_request_context("/"):
        yield {p.get("path_template") or p["path"]: p for p in dash.page_registry.values()}


def test_key_points_open_with_the_exceptions(pages):
    text = _text(pages["/"]["layout"]())
    attention = text.index("Needs attention this month")
    assert attention < text.index("Improved for real") < text.index('"row-')
    assert "exception-list" in text


def test_monthly_indicator_page_has_the_spc_chart_annual_has_none(pages):
    page = pages["/indicator/<code>"]
    text = _text(page["layout"](code="PLACED_20_MILES_PCT"))
    assert "spc-PLACED_20_MILES_PCT" in text and "Is it changing" in text
    assert text.index("trend-PLACED_20_MILES_PCT") < text.index("spc-PLACED_20_MILES_PCT")
    assert "axis starts at" in text
    assert "spc-POP_0_17" not in _text(page["layout"](code="POP_0_17"))
