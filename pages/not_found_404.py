"""Any address the dashboard does not know."""
from __future__ import annotations

import dash

from webapp import shell

dash.register_page(__name__, path="/404", title="Page not found")


def layout(**_):
    return shell.message("Page not found",
                         "There is no page at this address. Check the address, or start from the "
                         "key points page, which links to every section and indicator.",
                         [("Key points", "/")])
