"""Upload (`/upload`, editors): drop files -> report and preview -> Commit -> result; history
with download and revert; a blank template for the next month.

Every callback that reads files or changes anything calls `require("editor")` first: the
page hides its controls from viewers, but the server is what refuses them.
"""
from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dash_table, dcc, html, no_update

from pipelines.store.warehouse import WarehouseError, history, revert, revert_preview
from pipelines.uploads import check_files, commit_checked
from tools.sample.generate import make_template
from webapp import upload_logic as ul
from webapp.shell import access_denied
from webapp.auth import audit, current_user, require
from webapp.context import get_config, get_warehouse

dash.register_page(__name__, path="/upload", title="Upload figures")

_TABLE = dict(sort_action="native", filter_action="native", page_size=15,
              style_cell={"textAlign": "left", "whiteSpace": "normal", "height": "auto",
                          "maxWidth": "40em"},
              style_table={"overflowX": "auto"})


def _table(id_, columns, **kw):
    return dash_table.DataTable(id=id_, columns=[{"name": c, "id": c} for c in columns],
                                data=[], **(_TABLE | kw))


def _example_extract() -> list:
    """Editors of the sample: Sample Borough's SSDA903 tables as an example extract (child-
    level, though synthetic: the route serves it to editors only)."""
    config = get_config()
    upload_id = ul.example_extract_id(history(config.warehouse_path), config.is_sample)
    if upload_id is None:
        return []
    return [html.P([html.A("Download the example SSDA903 extract", id="upl-example-extract",
                           href=f"/uploads/{upload_id}/file"),
                    ": Sample Borough's synthetic child-level tables (header, episodes, "
                    "reviews and the rest, one CSV per table per collection year, zipped), as "
                    "a case-management system exports them. Drop such files here to compute "
                    "every indicator they give."])]


def layout(**_):
    if not current_user().has("editor"):
        return access_denied("editor", "/upload")
    return html.Div([
        html.H1("Upload the month's figures"),
        html.P(["CSV or Excel (.xlsx) files, ", html.Strong(f"up to {ul.MAX_FILE_TEXT} each"),
                ". The files are checked and you see what would change; nothing is loaded "
                "until you press Commit."]),
        html.P([html.Button("Download a template for the next month", id="upl-template-btn"),
                dcc.Download(id="upl-template")]),
        *_example_extract(),
        dcc.Upload(id="upl-files", multiple=True, max_size=ul.MAX_FILE_BYTES, accept=ul.ACCEPT,
                   children=html.Div(["Drag and drop files here, or ",
                                      html.A("choose files", href="#")]),
                   className="upload-drop",
                   style={"border": "2px dashed #666", "padding": "2em", "textAlign": "center",
                          "borderRadius": "6px"}),
        dcc.Store(id="upl-token"),
        dcc.Store(id="upl-version", data=0),
        dcc.Loading([
            html.Div(id="upl-status", role="status", **{"aria-live": "polite"}),
            html.Button("Commit", id="upl-commit", disabled=True, className="primary"),
            html.Button("Load again as a new upload", id="upl-again", disabled=True,
                        title="For a file loaded before whose figures later uploads changed: "
                              "load it again so its figures are current"),
            html.Div(id="upl-result", role="status", **{"aria-live": "polite"}),
            html.H2("Checks"),
            html.P("Every error and warning, with the row as Excel numbers it. Sort or filter "
                   "by any column; Export downloads the list as CSV."),
            _table("upl-report", ul.REPORT_COLUMNS, export_format="csv",
                   style_data_conditional=[{"if": {"filter_query": "{severity} = error"},
                                            "fontWeight": "bold"}]),
            html.H2("What would change"),
            _table("upl-summary", ["file", "indicator", "title", "period", "new", "revised",
                                   "unchanged"]),
            html.H3("New and revised values"),
            _table("upl-values", ["change", "file", "indicator", "area", "period", "breakdown",
                                  "old value", "new value", "note"]),
        ]),
        html.H2("Upload history"),
        dash_table.DataTable(
            id="upl-history",
            columns=[{"name": c, "id": c, **({"presentation": "markdown"} if c == "file" else {})}
                     for c in ul.HISTORY_COLUMNS],
            data=[], markdown_options={"link_target": "_self"}, **_TABLE),
        html.Div([html.Label(["Revert upload ", dcc.Dropdown(id="upl-revert-id", options=[],
                                                             style={"minWidth": "20em"})]),
                  html.Button("Revert…", id="upl-revert-btn")],
                 style={"display": "flex", "gap": "1em", "alignItems": "end"}),
        dcc.ConfirmDialog(id="upl-revert-confirm"),
        html.Div(id="upl-revert-result", role="status", **{"aria-live": "polite"}),
    ])


# ------------------------------------------------------------------ the callbacks' bodies

def handle_upload(contents, filenames):
    """Check dropped files; returns (status, report, summary, values, commit disabled, token,
    cleared contents, result). Clearing `contents` lets the same file be dropped again."""
    require("editor")
    config, wh = get_config(), get_warehouse()
    contents, filenames = ul.as_list(contents), ul.as_list(filenames)
    if not contents:
        return (no_update,) * 9
    files, refused = [], []
    for data, name in zip(contents, filenames):
        try:
            files.append((name, ul.decode_contents(data, name)))
        except ul.UploadRefused as exc:
            refused.append(ul.refused_problem(name, str(exc)))
    checked = check_files(files, config=config) if files else []
    report = [*refused, *ul.report_rows(checked)]
    status, can_commit = ul.check_status(checked) if checked else ("", False)
    again = ul.can_load_again(checked)
    if refused:
        status = (f"{len(refused)} file(s) refused: nothing can be loaded. " +
                  " ".join(r["message"] for r in refused) + " " + status).strip()
        can_commit = again = False
    token = (ul.stage_files(ul.staging_dir(config), files) if can_commit or again else None)
    return (status, report, ul.preview_summary_rows(checked, wh.catalogue),
            ul.preview_value_rows(checked), not can_commit, token, None, "", not again)


def handle_commit(n_clicks, token, version=0, again=False):
    """Check the staged files again and commit (`again`: also files loaded before, as new
    uploads); returns (result, commit disabled, token, history version bump, again
    disabled)."""
    if not n_clicks:
        return (no_update,) * 5
    user = require("editor")
    config = get_config()
    root = ul.staging_dir(config)
    try:
        files = ul.load_staged(root, token)
    except ul.UploadRefused as exc:
        return html.P(str(exc), role="alert"), True, None, no_update, True
    checked = check_files(files, config=config)
    status, can_commit = ul.check_status(checked)
    if not (can_commit or again and ul.can_load_again(checked)):  # changed since the preview
        return html.P("Not loaded: " + status, role="alert"), True, None, no_update, True
    results = commit_checked(checked, config=config, user=user.name, again=again)
    ul.drop_staged(root, token)
    links = [html.Li(dcc.Link(code, href=f"/indicator/{code}"))
             for code in ul.affected_codes(checked)]
    return (html.Div([html.P([html.Strong("Loaded. "), *[r.message + " " for r in results]],
                             id="upl-committed"),
                      html.P("Indicators changed:") if links else None,
                      html.Ul(links, className="affected")]),
            True, None, (version or 0) + 1, True)


def handle_again(n_clicks, token, version=0):
    return handle_commit(n_clicks, token, version, again=True)


def handle_history(_version):
    """(history rows, revert options, the latest committed upload as the default choice)."""
    require("editor")
    h = history(get_config().warehouse_path)
    rows = ul.history_rows(h, get_config().archive_dir) if len(h) else []
    options = [{"label": f"{r['upload']}: {h.loc[h.upload_id == r['upload'], 'file_name'].iloc[0]}"
                         f" ({r['when']}, {r['who']})", "value": r["upload"]}
               for r in rows if r["status"] == "committed"]
    return rows, options, (options[0]["value"] if options else None)


def handle_revert_ask(n_clicks, upload_id):
    """Open the confirmation with what the revert would change."""
    if not n_clicks:
        return no_update, no_update, no_update
    require("editor")
    if upload_id is None:
        return no_update, False, html.P("Choose an upload to revert first.", role="alert")
    try:
        preview = revert_preview(get_config().warehouse_path, int(upload_id))
    except WarehouseError as exc:
        return no_update, False, html.P(str(exc), role="alert")
    return ul.revert_confirm_text(preview), True, ""


def handle_revert(submit_n_clicks, upload_id, version=0):
    """Revert after confirmation; returns (result, history version bump)."""
    if not submit_n_clicks or upload_id is None:
        return no_update, no_update
    user = require("editor")
    try:
        out = revert(get_config().warehouse_path, int(upload_id), user=user.name)
    except WarehouseError as exc:
        return html.P(str(exc), role="alert"), no_update
    return (html.P(f"Upload {out['upload_id']} ({out['file_name']}) reverted: "
                   f"{out['values_removed']} value(s) removed, {out['values_restored']} "
                   "restored to their earlier figures.", id="upl-reverted"),
            (version or 0) + 1)


def handle_template(n_clicks):
    if not n_clicks:
        return no_update
    user = require("editor")
    wh = get_warehouse()
    try:
        latest = wh.latest_month()
    except Exception:  # no warehouse yet: a template for this month
        latest = None
    month = ul.next_month(latest)
    audit(get_config(), user, "template", f"downloaded the template for {month}")
    return dash.dcc.send_string(make_template(wh.catalogue, month),
                                f"monthly_extract_template_{month}.csv")


# ------------------------------------------------------------------ wiring

callback(Output("upl-status", "children"), Output("upl-report", "data"),
         Output("upl-summary", "data"), Output("upl-values", "data"),
         Output("upl-commit", "disabled"), Output("upl-token", "data"),
         Output("upl-files", "contents"), Output("upl-result", "children"),
         Output("upl-again", "disabled"),
         Input("upl-files", "contents"), State("upl-files", "filename"),
         prevent_initial_call=True)(handle_upload)

callback(Output("upl-result", "children", allow_duplicate=True),
         Output("upl-commit", "disabled", allow_duplicate=True),
         Output("upl-token", "data", allow_duplicate=True),
         Output("upl-version", "data", allow_duplicate=True),
         Output("upl-again", "disabled", allow_duplicate=True),
         Input("upl-commit", "n_clicks"), State("upl-token", "data"),
         State("upl-version", "data"),
         prevent_initial_call=True)(handle_commit)

callback(Output("upl-result", "children", allow_duplicate=True),
         Output("upl-commit", "disabled", allow_duplicate=True),
         Output("upl-token", "data", allow_duplicate=True),
         Output("upl-version", "data", allow_duplicate=True),
         Output("upl-again", "disabled", allow_duplicate=True),
         Input("upl-again", "n_clicks"), State("upl-token", "data"),
         State("upl-version", "data"),
         prevent_initial_call=True)(handle_again)

callback(Output("upl-history", "data"), Output("upl-revert-id", "options"),
         Output("upl-revert-id", "value"),
         Input("upl-version", "data"))(handle_history)

callback(Output("upl-revert-confirm", "message"), Output("upl-revert-confirm", "displayed"),
         Output("upl-revert-result", "children"),
         Input("upl-revert-btn", "n_clicks"), State("upl-revert-id", "value"),
         prevent_initial_call=True)(handle_revert_ask)

callback(Output("upl-revert-result", "children", allow_duplicate=True),
         Output("upl-version", "data", allow_duplicate=True),
         Input("upl-revert-confirm", "submit_n_clicks"), State("upl-revert-id", "value"),
         State("upl-version", "data"),
         prevent_initial_call=True)(handle_revert)

callback(Output("upl-template", "data"), Input("upl-template-btn", "n_clicks"),
         prevent_initial_call=True)(handle_template)
