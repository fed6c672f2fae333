"""The DuckDB warehouse: schema, read-only connections, and atomic writes.

Why copy-and-swap: DuckDB lets no other process open a file while one holds it read-write,
so writing in place would lock every worker serving the app out. A writer instead copies
the file, changes the copy inside one transaction, checkpoints and closes it, then
`os.replace`s it over the original. Readers that already had the old file keep reading it;
new connections see the new one; nobody ever sees half an upload, and a writer killed at any
point leaves the original untouched. Writers queue on an `fcntl` lock beside the file.
"""
from __future__ import annotations

import contextlib
import fcntl
import getpass
import hashlib
import os
import shutil
import tempfile
import threading
import weakref
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from pipelines.core.areas import ENGLAND, SN, area_name, load_areas
from pipelines.core.canonical import KEY

VALUE_COLS = ["value", "numerator", "denominator", "missing_reason", "status"]
FRAME_COLS = KEY + ["period_label", "period_type"] + VALUE_COLS
SCHEMA_VERSION = "1"

# Where a figure comes from, part of its stored key (observations and revisions): published
# figures (DfE's files as downloaded or in our `ees` layout, LG Inform+ downloads, the
# hand-keyed comparator file), or the authority's own data (long/wide uploads, SSDA903
# extracts, adoption records). The same indicator, area and year may hold one of each: the
# published figure is the comparator and the reconciliation's "published", the local one the
# headline (docs/ssda903.md).
PUBLISHED, LOCAL = "published", "local"
PUBLISHED_KINDS = ("published", "ees", "lginform", "handkeyed")
STORE_KEY = KEY + ["source"]
OBS_COLS = ("indicator_code, area_code, period_start, period_end, period_label, period_type, "
            "breakdown, value, numerator, denominator, missing_reason, status, upload_id, source")


def source_of(kind: str | None) -> str:
    return PUBLISHED if kind in PUBLISHED_KINDS else LOCAL

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR, value VARCHAR);
CREATE TABLE IF NOT EXISTS indicators (
    code VARCHAR, title VARCHAR, section VARCHAR, unit VARCHAR, decimals INTEGER,
    polarity VARCHAR, frequency VARCHAR, definition VARCHAR);
CREATE TABLE IF NOT EXISTS areas (code VARCHAR, name VARCHAR, area_type VARCHAR);
CREATE TABLE IF NOT EXISTS uploads (
    upload_id INTEGER, file_name VARCHAR, sha256 VARCHAR, kind VARCHAR, user_name VARCHAR,
    uploaded_at TIMESTAMP, rows_read INTEGER, rows_loaded INTEGER, rows_rejected INTEGER,
    values_new INTEGER, values_revised INTEGER, values_unchanged INTEGER,
    status VARCHAR, reverted_at TIMESTAMP, reverted_by VARCHAR);
CREATE TABLE IF NOT EXISTS observations (
    indicator_code VARCHAR, area_code VARCHAR, period_start DATE, period_end DATE,
    period_label VARCHAR, period_type VARCHAR, breakdown VARCHAR,
    value DOUBLE, numerator DOUBLE, denominator DOUBLE, missing_reason VARCHAR,
    status VARCHAR, upload_id INTEGER);
CREATE TABLE IF NOT EXISTS revisions (
    indicator_code VARCHAR, area_code VARCHAR, period_start DATE, period_end DATE,
    period_label VARCHAR, period_type VARCHAR, breakdown VARCHAR,
    value DOUBLE, numerator DOUBLE, denominator DOUBLE, missing_reason VARCHAR,
    status VARCHAR, upload_id INTEGER, replaced_by_upload INTEGER, replaced_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS commentary (
    month DATE, section VARCHAR, text VARCHAR, author VARCHAR, saved_at TIMESTAMP,
    version INTEGER);
CREATE TABLE IF NOT EXISTS audit_log (
    "at" TIMESTAMP, user_name VARCHAR, action VARCHAR, detail VARCHAR);
CREATE TABLE IF NOT EXISTS ssda903_quality (
    upload_id INTEGER, severity VARCHAR, kind VARCHAR, rule VARCHAR, child VARCHAR,
    file VARCHAR, "rows" VARCHAR, message VARCHAR, indicators VARCHAR, months VARCHAR);
CREATE TABLE IF NOT EXISTS ssda903_year_end (
    upload_id INTEGER, indicator_code VARCHAR, "year" VARCHAR, value DOUBLE,
    numerator DOUBLE, denominator DOUBLE);
CREATE TABLE IF NOT EXISTS adoption_children (
    upload_id INTEGER, child_id VARCHAR, date_of_birth DATE, date_entered_care DATE,
    date_placement_order DATE, date_matched DATE, date_placed_for_adoption DATE,
    adopted_by_foster_carers BOOLEAN, date_moved_in_with_foster_carers DATE,
    date_adoption_order DATE);
CREATE TABLE IF NOT EXISTS plan_outcomes (
    outcome_id INTEGER, version INTEGER, plan VARCHAR, position INTEGER, outcome VARCHAR,
    target VARCHAR, lead VARCHAR, indicators VARCHAR, private_notes VARCHAR,
    removed BOOLEAN, valid_from TIMESTAMP, valid_to TIMESTAMP, changed_by VARCHAR);
CREATE TABLE IF NOT EXISTS plan_actions (
    action_id INTEGER, version INTEGER, outcome_id INTEGER, position INTEGER,
    action VARCHAR, owner VARCHAR, due DATE, due_text VARCHAR, status VARCHAR,
    update_text VARCHAR, indicators VARCHAR, private_notes VARCHAR,
    removed BOOLEAN, valid_from TIMESTAMP, valid_to TIMESTAMP, changed_by VARCHAR);
CREATE TABLE IF NOT EXISTS board_matters (
    matter_id INTEGER, version INTEGER, kind VARCHAR, position INTEGER, meeting_date DATE,
    subject VARCHAR, lead VARCHAR, current_position VARCHAR, status VARCHAR,
    indicators VARCHAR, private_notes VARCHAR,
    removed BOOLEAN, valid_from TIMESTAMP, valid_to TIMESTAMP, changed_by VARCHAR);
CREATE TABLE IF NOT EXISTS step_changes (
    step_id INTEGER, indicator_code VARCHAR, month DATE, reason VARCHAR,
    user_name VARCHAR, recorded_at TIMESTAMP, removed_at TIMESTAMP, removed_by VARCHAR);
"""

# The analysts' view (README): made after `_migrate`, since it reads `source` and `twin`.
VIEW = f"""
CREATE OR REPLACE VIEW indicator_values AS
    SELECT o.indicator_code, o.area_code, coalesce(a.area_type, 'la') AS area_type,
           o.period_start, o.period_end, o.period_label, o.breakdown,
           o.value, o.numerator, o.denominator, o.status, o.upload_id,
           o.missing_reason, o.period_type, o.source,
           NOT (o.twin AND o.source <> '{LOCAL}') AS headline
    FROM observations o LEFT JOIN areas a ON a.code = o.area_code;
"""


class WarehouseError(Exception):
    pass


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0)


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


# ---------------------------------------------------------------- reading

def file_version(path: Path) -> tuple[int, int, int]:
    """(inode, mtime, size): every commit swaps in a new file, so equal means the same
    contents (the one file-version rule; raises FileNotFoundError when there is none)."""
    st = os.stat(path)
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    """A private read-only view of the file as it is now.

    `duckdb.connect(path)` reuses a cached database instance for a path while any
    connection to it is open, which would keep serving the file a commit has replaced;
    attaching it to a fresh in-memory database always opens the current file.
    """
    con = duckdb.connect(":memory:")
    escaped = str(path).replace("'", "''")
    con.execute(f"ATTACH '{escaped}' AS warehouse (READ_ONLY)")
    con.execute("USE warehouse")
    return con


@contextlib.contextmanager
def reading(db: Path):
    """A short read-only look at the file as it is now (closed afterwards): for the writer's
    own checks (plan, revert preview, history). Long-lived readers use ReadConnection."""
    con = open_read_only(Path(db))
    try:
        yield con
    finally:
        con.close()


_READERS: "weakref.WeakSet[ReadConnection]" = weakref.WeakSet()


def _file_changed(path: Path) -> None:
    """A commit in this process is seen at once by this process's readers (other
    processes see it within ReadConnection.STAMP_TTL)."""
    for reader in list(_READERS):
        if reader.path == path:
            reader._stamp_cache = None


class ReadConnection:
    """A read-only connection that follows the file across atomic swaps.

    DuckDB connections are not thread-safe, so each thread gets its own cursor; when the
    file's inode changes (a commit swapped it), the next call reopens.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()
        self._con = None
        self._ino = None
        self._local = threading.local()
        _READERS.add(self)

    # A stat costs ~0.1 ms here and a page makes hundreds of lookups: look at the file at
    # most every STAMP_TTL seconds, so a commit shows within a fifth of a second.
    STAMP_TTL = 0.2

    def _stamp(self):
        now_ = time.monotonic()
        cached = getattr(self, "_stamp_cache", None)
        if cached is not None and now_ - cached[0] < self.STAMP_TTL:
            return cached[1]
        stamp = file_version(self.path)
        self._stamp_cache = (now_, stamp)
        return stamp

    def version(self):
        """The file's version (inode, mtime, size), or None when there is no file yet: what
        every cache of warehouse reads is keyed on (the one file-version rule)."""
        try:
            return self._stamp()
        except FileNotFoundError:
            return None

    def cursor(self) -> duckdb.DuckDBPyConnection:
        try:
            stamp = self._stamp()
        except FileNotFoundError:
            raise WarehouseError(
                f"No warehouse at {self.path}. Build it with `lacdash sample` or load a file "
                "with `lacdash ingest`.") from None
        with self._lock:
            if self._con is None or stamp != self._ino:
                # The old connection is not closed: threads still holding its cursors
                # finish their queries on the old file.
                self._con = open_read_only(self.path)
                self._ino = stamp
            con, ino = self._con, self._ino
        cur = getattr(self._local, "cur", None)
        if cur is None or getattr(self._local, "ino", None) != ino:
            cur = con.cursor()
            cur.execute("USE warehouse")
            self._local.cur, self._local.ino = cur, ino
        return cur

    def df(self, sql: str, params=None) -> pd.DataFrame:
        return self.cursor().execute(sql, params or []).df()

    def close(self):
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None


# ---------------------------------------------------------------- writing

@contextlib.contextmanager
def _writer_lock(db: Path):
    db.parent.mkdir(parents=True, exist_ok=True)
    with open(str(db) + ".lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _fsync_dir(d: Path):
    fd = os.open(d, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove_stale_copies(db: Path) -> None:
    """Temp copies left by a writer that was killed before its swap. Only writers make them
    and writers queue on the lock we hold, so every one found now is stale."""
    for leftover in db.parent.glob(f".{db.name}.*.tmp*"):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


class LeaveUnchanged(Exception):
    """Raised in a write_transaction block that found nothing to write: the copy is dropped
    and the file is not swapped, so readers keep their version (and the workers' pages built
    for it: a new file version makes every worker build them again)."""


@contextlib.contextmanager
def write_transaction(db: Path, *, catalogue=None, config=None):
    """Yield a read-write connection on a private copy; swap it in only on success (and not
    when the block raises LeaveUnchanged)."""
    db = Path(db)
    with _writer_lock(db):
        _remove_stale_copies(db)
        fd, tmp = tempfile.mkstemp(prefix=f".{db.name}.", suffix=".tmp", dir=db.parent)
        os.close(fd)
        os.unlink(tmp)
        try:
            if db.exists():
                shutil.copyfile(db, tmp)
            con = duckdb.connect(tmp)
            try:
                con.execute(SCHEMA)
                con.execute("BEGIN")
                _migrate(con)
                if catalogue is not None:
                    _sync_indicators(con, catalogue)
                if config is not None:
                    _sync_configured_areas(con, config)
                yield con
                con.execute("COMMIT")
                con.execute("CHECKPOINT")
            except LeaveUnchanged:
                with contextlib.suppress(Exception):
                    con.execute("ROLLBACK")
                return
            except BaseException:
                with contextlib.suppress(Exception):
                    con.execute("ROLLBACK")
                raise
            finally:
                con.close()
            with open(tmp, "rb+") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, db)
            _fsync_dir(db.parent)
            _file_changed(db)
        finally:
            for leftover in (tmp, tmp + ".wal"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(leftover)


def _has_column(con, table: str, column: str) -> bool:
    return bool(con.execute("SELECT 1 FROM information_schema.columns WHERE table_name = ? "
                            "AND column_name = ?", [table, column]).fetchall())


def _migrate(con) -> None:
    """Bring a file written by an older version up to this schema, inside the write
    transaction (so it lands with the write, or not at all).

    `source` (published or local) joined the key of observations and revisions: existing rows
    take it from their upload's kind, and a published figure of the authority that a local
    upload replaced before the two were kept apart (an SSDA903 out-turn loaded after DfE's
    files) comes back from the revisions as the current published figure (and a local one a
    published upload replaced, the other way round). `twin` marks a
    figure whose key also holds one of the other source (see `_mark_twins`)."""
    fresh = {t: not _has_column(con, t, "source") for t in ("observations", "revisions")}
    for table, missing in fresh.items():
        if missing:
            con.execute(f"ALTER TABLE {table} ADD COLUMN source VARCHAR DEFAULT '{LOCAL}'")
            con.execute(f"""UPDATE {table} SET source = '{PUBLISHED}' WHERE upload_id IN (
                SELECT upload_id FROM uploads WHERE kind IN (SELECT unnest(?)))""",
                        [list(PUBLISHED_KINDS)])
    twins = not _has_column(con, "observations", "twin")
    if twins:
        con.execute("ALTER TABLE observations ADD COLUMN twin BOOLEAN DEFAULT false")
    con.execute(VIEW)
    if not fresh["revisions"]:
        if twins:
            _mark_twins(con)
        return
    # The latest figure per key and source that an upload of the other source replaced,
    # where none of its source is current: it is current again (and no longer a revision of
    # the other source's figure).
    con.execute("""
        CREATE TEMP TABLE displaced AS
        SELECT * EXCLUDE (rn) FROM (
          SELECT r.*, row_number() OVER (PARTITION BY r.indicator_code, r.area_code,
                 r.period_start, r.period_end, r.breakdown, r.source
                 ORDER BY r.replaced_at DESC) AS rn
          FROM revisions r JOIN uploads u ON u.upload_id = r.replaced_by_upload
          WHERE r.source <> CASE WHEN u.kind IN (SELECT unnest(?)) THEN ? ELSE ? END) d
        WHERE rn = 1 AND NOT EXISTS (
          SELECT 1 FROM observations o WHERE o.source = d.source
             AND o.indicator_code = d.indicator_code AND o.area_code = d.area_code
             AND o.period_start = d.period_start AND o.period_end = d.period_end
             AND o.breakdown = d.breakdown)""", [list(PUBLISHED_KINDS), PUBLISHED, LOCAL])
    con.execute(f"INSERT INTO observations ({OBS_COLS}) SELECT {OBS_COLS} FROM displaced")
    con.execute("""DELETE FROM revisions r USING displaced d
        WHERE r.indicator_code = d.indicator_code AND r.area_code = d.area_code
          AND r.period_start = d.period_start AND r.period_end = d.period_end
          AND r.breakdown = d.breakdown AND r.source = d.source
          AND r.replaced_by_upload = d.replaced_by_upload""")
    con.execute("DROP TABLE displaced")
    _mark_twins(con)


_SAME_KEY = ("o.indicator_code = k.indicator_code AND o.area_code = k.area_code "
             "AND o.period_start = k.period_start AND o.period_end = k.period_end "
             "AND o.breakdown = k.breakdown")


def _mark_twins(con, keys: str | None = None) -> None:
    """Set `twin` on figures whose key (indicator, area, period, breakdown) holds both a local
    and a published figure, so readers choose one with a plain filter instead of joining the
    table with itself (`Warehouse.figures`). `keys`: a relation of the keys an upload wrote
    or reverted (only those can have changed); None: every key (migration)."""
    if keys is None:
        con.execute("UPDATE observations SET twin = false WHERE twin")
        pool = "observations"
    else:
        con.execute(f"UPDATE observations o SET twin = false FROM {keys} k "
                    f"WHERE o.twin AND {_SAME_KEY}")
        pool = f"(SELECT o.* FROM observations o SEMI JOIN {keys} k ON {_SAME_KEY})"
    con.execute(f"""
        UPDATE observations o SET twin = true FROM (
          SELECT indicator_code, area_code, period_start, period_end, breakdown FROM {pool}
          GROUP BY ALL HAVING count(DISTINCT source) > 1) k
        WHERE {_SAME_KEY}""")


def _sync_indicators(con, catalogue):
    rows = [(i.code, i.title, i.section, i.unit, i.decimals, i.polarity, i.frequency,
             i.definition) for i in catalogue.indicators]
    con.execute("DELETE FROM indicators")
    con.executemany("INSERT INTO indicators VALUES (?,?,?,?,?,?,?,?)", rows)


def _area_rows(config) -> list[tuple[str, str, str]]:
    rows = [(config.code, config.name, "authority"),
            (config.region, area_name(config.region), "region"),
            (ENGLAND, "England", "england"),
            (SN, "Statistical neighbours (average)", "statistical_neighbours")]
    rows += [(c, area_name(c), "statistical_neighbour") for c in config.statistical_neighbours]
    return rows


def _sync_configured_areas(con, config):
    rows = _area_rows(config)
    con.execute("DELETE FROM areas WHERE code IN (SELECT unnest(?))", [[r[0] for r in rows]])
    con.executemany("INSERT INTO areas VALUES (?,?,?)", rows)


def _add_loaded_areas(con):
    """Every area whose figures are loaded is known by name and type."""
    codes = [r[0] for r in con.execute(
        "SELECT DISTINCT area_code FROM observations WHERE area_code NOT IN "
        "(SELECT code FROM areas)").fetchall()]
    if not codes:
        return
    known = load_areas().set_index("code")
    rows = []
    for c in codes:
        if c in known.index:
            t = known.loc[c, "type"]
            rows.append((c, known.loc[c, "name"], {"country": "england"}.get(t, t)))
        else:
            rows.append((c, c, "la"))
    con.executemany("INSERT INTO areas VALUES (?,?,?)", rows)


def log(con, user: str, action: str, detail: str = "") -> None:
    con.execute("INSERT INTO audit_log VALUES (?,?,?,?)", [now(), user, action, detail])


# ---------------------------------------------------------------- planning

@dataclass
class Plan:
    """What an upload would do to the warehouse, value by value."""
    new: pd.DataFrame
    revised: pd.DataFrame          # incoming values with old_value, old_numerator, ...
    unchanged: pd.DataFrame
    already_loaded: dict | None = None   # the earlier upload of the same bytes
    version: tuple | None = None         # file_version() of the warehouse it was made on

    @property
    def counts(self) -> dict:
        return {"new": len(self.new), "revised": len(self.revised),
                "unchanged": len(self.unchanged)}

    @property
    def changes_anything(self) -> bool:
        return self.already_loaded is None and (len(self.new) + len(self.revised)) > 0

    @property
    def superseded_by(self) -> list[int]:
        """When these exact bytes were loaded before and later uploads have since changed
        their figures: those uploads (loading the file again would put its figures back)."""
        if self.already_loaded is None or not (len(self.new) + len(self.revised)):
            return []
        ids = pd.to_numeric(self.revised.get("old_upload_id"), errors="coerce").dropna()
        mine = self.already_loaded["upload_id"]
        return sorted({int(i) for i in ids if int(i) != mine}) or [mine]

    def summary_by_indicator(self) -> pd.DataFrame:
        parts = []
        for name, df in (("new", self.new), ("revised", self.revised),
                         ("unchanged", self.unchanged)):
            if len(df):
                parts.append(df.groupby(["indicator_code", "period_label"]).size()
                             .rename(name))
        if not parts:
            return pd.DataFrame(columns=["indicator_code", "period_label", "new", "revised",
                                         "unchanged"])
        out = pd.concat(parts, axis=1).fillna(0).astype(int).reset_index()
        for c in ("new", "revised", "unchanged"):
            if c not in out:
                out[c] = 0
        return out[["indicator_code", "period_label", "new", "revised", "unchanged"]]


def _prepare(frame: pd.DataFrame, kind: str | None = None) -> pd.DataFrame:
    """The upload's rows as stored, with the `source` its kind gives (see `source_of`)."""
    f = frame.copy()
    for c in FRAME_COLS:
        if c not in f:
            f[c] = pd.NA
    f = f[FRAME_COLS].copy()
    f["source"] = source_of(kind)
    f["breakdown"] = f["breakdown"].fillna("").astype(str)
    # "" or missing status means the file did not say: the value keeps its current status.
    f["status"] = f["status"].astype("object").where(
        f["status"].notna() & (f["status"].astype(str).str.strip() != ""), None)
    f["period_start"] = pd.to_datetime(f["period_start"]).dt.date
    f["period_end"] = pd.to_datetime(f["period_end"]).dt.date
    for c in ("value", "numerator", "denominator"):
        f[c] = pd.to_numeric(f[c], errors="coerce").astype("float64")
    f["missing_reason"] = f["missing_reason"].astype("object").where(
        f["missing_reason"].notna(), None)
    return f


_PLAN_SQL = """
SELECT i.*, o.value AS old_value, o.numerator AS old_numerator,
       o.denominator AS old_denominator, o.missing_reason AS old_missing_reason,
       o.status AS old_status, o.upload_id AS old_upload_id,
       CASE WHEN o.indicator_code IS NULL THEN 'new'
            WHEN i.value IS NOT DISTINCT FROM o.value
             AND (i.numerator IS NULL OR i.numerator = o.numerator)
             AND (i.denominator IS NULL OR i.denominator = o.denominator)
             AND coalesce(i.missing_reason, '') = coalesce(o.missing_reason, '')
             AND (i.status IS NULL OR i.status = o.status) THEN 'unchanged'
            ELSE 'revised' END AS change
FROM incoming i LEFT JOIN {observations} o
  ON o.indicator_code = i.indicator_code AND o.area_code = i.area_code
 AND o.period_start = CAST(i.period_start AS DATE) AND o.period_end = CAST(i.period_end AS DATE)
 AND o.breakdown = i.breakdown AND o.source = i.source
"""


def stored_relation(table: str, columns: set[str]) -> str:
    """`observations` or `revisions` as a SQL relation with its `source` (and `twin` for
    observations), given the columns the file has. A file written before figures had a source
    (migrated at its next write, in the write transaction) gets the source its upload's kind
    gives, as `_migrate` sets it, and no twins (its key could hold only one figure). Read by
    the check's plan here and by `queries.Warehouse.stored`."""
    extra = []
    if "source" not in columns:
        kinds = ", ".join(f"'{k}'" for k in PUBLISHED_KINDS)
        extra.append(f"CASE WHEN upload_id IN (SELECT upload_id FROM uploads WHERE kind IN "
                     f"({kinds})) THEN '{PUBLISHED}' ELSE '{LOCAL}' END AS source")
    if table == "observations" and "twin" not in columns:
        extra.append("false AS twin")
    return f"(SELECT *, {', '.join(extra)} FROM {table})" if extra else table


def _columns(con, table: str = "observations") -> set[str]:
    return {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns "
                                      "WHERE table_name = ?", [table]).fetchall()}


def _plan_on(con, f: pd.DataFrame, observations: str = "observations") -> Plan:
    con.register("incoming", f)
    try:
        joined = con.execute(_PLAN_SQL.format(observations=observations)).df()
    finally:
        con.unregister("incoming")
    return Plan(new=joined[joined.change == "new"].drop(columns="change"),
                revised=joined[joined.change == "revised"].drop(columns="change"),
                unchanged=joined[joined.change == "unchanged"].drop(columns="change"))


def _find_upload(con, sha: str) -> dict | None:
    row = con.execute(
        "SELECT upload_id, file_name, uploaded_at, user_name FROM uploads "
        "WHERE sha256 = ? AND status = 'committed' ORDER BY upload_id DESC LIMIT 1",
        [sha]).fetchall()
    if not row:
        return None
    row = row[0]
    return {"upload_id": row[0], "file_name": row[1], "uploaded_at": row[2],
            "user_name": row[3]}


def plan(db: Path, frame: pd.DataFrame, *, sha256: str | None = None,
         kind: str | None = None) -> Plan:
    """Compare an upload (of this kind: it decides the figures' source) with the warehouse
    without changing anything."""
    f = _prepare(frame, kind)
    db = Path(db)
    if not db.exists():
        return Plan(new=f, revised=f.iloc[0:0], unchanged=f.iloc[0:0])
    version = file_version(db)  # before opening: a swap in between makes it stale, not wrong
    with reading(db) as con:
        observations = stored_relation("observations", _columns(con))
        p = _plan_on(con, f, observations)
        # an unmigrated file: its migration may restore published figures, so the commit
        # plans again after it (a plan without a version is never reused)
        p.version = version if observations == "observations" else None
        if sha256:
            p.already_loaded = _find_upload(con, sha256)
        return p


@dataclass
class CommitResult:
    upload_id: int | None
    counts: dict = field(default_factory=dict)
    already_loaded: dict | None = None
    message: str = ""


def _archive(config_archive: Path, sha: str, data: bytes) -> Path:
    config_archive.mkdir(parents=True, exist_ok=True)
    target = config_archive / sha
    if not target.exists():
        fd, tmp = tempfile.mkstemp(dir=config_archive, prefix=".tmp-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    return target


def _commit_on(con, db: Path, frame: pd.DataFrame, *, data: bytes, file_name: str, kind: str,
               user: str | None = None, rows_read: int | None = None, rows_rejected: int = 0,
               catalogue=None, config=None, children: pd.DataFrame | None = None,
               tables: dict | None = None,
               again: bool = False, _before_swap=None, plan: Plan | None = None) -> CommitResult:
    """The body of one upload, on an open write transaction (see `commit`, `commit_many`).
    Raises _NothingToDo before writing anything when the file changes nothing. `plan`: the
    check's plan, made on exactly what `con` holds (else the upload is planned here)."""
    db = Path(db)
    user = user or current_user()
    sha = sha256_of(data)
    result = CommitResult(upload_id=None)
    earlier = _find_upload(con, sha)
    p = (replace(plan, already_loaded=None) if plan is not None
         else _plan_on(con, _prepare(frame, kind)))
    if earlier is not None and not again:
        result.already_loaded = earlier
        p.already_loaded = earlier
        result.message = already_loaded_message(file_name, p)
        raise _NothingToDo(result)
    result.counts = p.counts
    if not p.changes_anything and children is None:
        result.message = (f"{file_name}: all {len(p.unchanged)} values are already in the "
                          "warehouse: nothing changed.")
        raise _NothingToDo(result)
    uid = con.execute("SELECT coalesce(max(upload_id), 0) + 1 FROM uploads").fetchall()[0][0]
    ts = now()
    if len(p.revised):
        rev = p.revised
        old = pd.DataFrame({
            "indicator_code": rev.indicator_code, "area_code": rev.area_code,
            "period_start": pd.to_datetime(rev.period_start).dt.date,
            "period_end": pd.to_datetime(rev.period_end).dt.date,
            "breakdown": rev.breakdown, "source": rev.source})
        con.register("revised_keys", old)
        con.execute(f"""
            INSERT INTO revisions ({OBS_COLS}, replaced_by_upload, replaced_at)
            SELECT o.indicator_code, o.area_code, o.period_start, o.period_end,
                   o.period_label, o.period_type, o.breakdown, o.value, o.numerator,
                   o.denominator, o.missing_reason, o.status, o.upload_id, o.source,
                   {uid}, TIMESTAMP '{ts}'
            FROM observations o SEMI JOIN revised_keys k
              ON o.indicator_code = k.indicator_code AND o.area_code = k.area_code
             AND o.period_start = k.period_start AND o.period_end = k.period_end
             AND o.breakdown = k.breakdown AND o.source = k.source""")
        con.execute("""
            DELETE FROM observations o USING revised_keys k
            WHERE o.indicator_code = k.indicator_code AND o.area_code = k.area_code
              AND o.period_start = k.period_start AND o.period_end = k.period_end
              AND o.breakdown = k.breakdown AND o.source = k.source""")
        con.unregister("revised_keys")
    changed = pd.concat([p.new[FRAME_COLS + ["source"]], p.revised[FRAME_COLS + ["source"]]],
                        ignore_index=True)
    if len(changed):
        changed = changed.copy()
        old_status = pd.concat([pd.Series([None] * len(p.new), dtype=object),
                                p.revised["old_status"].astype(object)], ignore_index=True)
        changed["status"] = changed["status"].where(changed["status"].notna(), old_status)
        changed["status"] = changed["status"].where(changed["status"].notna(), "final")
        changed["upload_id"] = uid
        con.register("changed", changed)
        con.execute(f"""
            INSERT INTO observations ({OBS_COLS})
            SELECT indicator_code, area_code, CAST(period_start AS DATE),
                   CAST(period_end AS DATE), period_label, period_type, breakdown,
                   value, numerator, denominator, missing_reason, status, upload_id, source
            FROM changed""")
        _mark_twins(con, "(SELECT indicator_code, area_code, CAST(period_start AS DATE) AS "
                         "period_start, CAST(period_end AS DATE) AS period_end, breakdown "
                         "FROM changed)")
        con.unregister("changed")
    if children is not None:
        kids = children.copy()
        kids.insert(0, "upload_id", uid)
        cols = [c[0] for c in con.execute("DESCRIBE adoption_children").fetchall()]
        for c in cols:
            if c not in kids:
                kids[c] = None
        con.register("kids", kids[cols])
        con.execute("INSERT INTO adoption_children SELECT * FROM kids")
        con.unregister("kids")
    # Upload-owned side tables (e.g. an SSDA903 extract's data-quality report): name ->
    # frame with the table's columns but upload_id.
    for name, rows in (tables or {}).items():
        cols = [c[0] for c in con.execute(f"DESCRIBE {name}").fetchall()]
        side = rows.copy()
        side.insert(0, "upload_id", uid)
        con.register("side", side[cols])
        con.execute(f"INSERT INTO {name} SELECT * FROM side")
        con.unregister("side")
    _add_loaded_areas(con)
    con.execute(
        "INSERT INTO uploads VALUES (?,?,?,?,?,?,?,?,?,?,?,?, 'committed', NULL, NULL)",
        [uid, file_name, sha, kind, user, ts,
         rows_read if rows_read is not None else len(frame), len(changed), rows_rejected,
         len(p.new), len(p.revised), len(p.unchanged)])
    log(con, user, "upload", f"upload {uid}: {file_name} ({len(p.new)} new, "
                             f"{len(p.revised)} revised, {len(p.unchanged)} unchanged)")
    if config is not None:
        _archive(config.archive_dir, sha, data)
    else:
        _archive(db.parent / "archive", sha, data)
    if _before_swap:
        _before_swap()
    result.upload_id = uid
    result.message = (f"{file_name}: loaded as upload {uid}: {len(p.new)} new, "
                      f"{len(p.revised)} revised, {len(p.unchanged)} unchanged values.")
    return result


def commit(db: Path, frame: pd.DataFrame, *, data: bytes, file_name: str, kind: str,
           user: str | None = None, rows_read: int | None = None, rows_rejected: int = 0,
           catalogue=None, config=None, children: pd.DataFrame | None = None,
           tables: dict | None = None,
           again: bool = False, _before_swap=None) -> CommitResult:
    """Load one validated upload atomically: all its values land, or none do. A file loaded
    before is not loaded twice unless `again` (then it is a new upload that revises the
    figures later uploads changed)."""
    with write_transaction(db, catalogue=catalogue, config=config) as con:
        return _commit_on(con, db, frame, data=data, file_name=file_name, kind=kind, user=user,
                          rows_read=rows_read, rows_rejected=rows_rejected, catalogue=catalogue,
                          config=config, children=children, tables=tables, again=again,
                          _before_swap=_before_swap)


def commit_many(db: Path, uploads: list[dict], *, catalogue=None, config=None,
                progress=None) -> list[CommitResult]:
    """Several checked files in one transaction and one file swap (what `lacdash ingest
    FILE...` loads at once): each is its own upload (id, log entry, archived file), and all
    of them land or none do. A file with nothing to change is reported, not written (it is
    found before anything of it is written). `uploads` are `commit`'s keyword arguments."""
    results: list[CommitResult] = []
    with write_transaction(db, catalogue=catalogue, config=config) as con:
        # We hold the writer lock, so this is the version the transaction copied. A check's
        # plan made on it is still true until this transaction writes an upload: reused
        # (planning a national file costs as much as the rest of its commit).
        version = file_version(db) if Path(db).exists() else None
        written = False
        for i, u in enumerate(uploads):
            u = dict(u)
            planned = u.pop("plan", None)
            if written or version is None or planned is None or planned.version != version:
                planned = None
            try:
                results.append(_commit_on(con, db, catalogue=catalogue, config=config,
                                          plan=planned, **u))
                written = True
            except _NothingToDo as nothing:
                results.append(nothing.result)
            if progress:
                progress(i + 1, len(uploads), f"committing {u['file_name']}")
        if not written:
            raise LeaveUnchanged  # every file had nothing to change: no new file version
    return results


def already_loaded_message(file_name: str, p: Plan, *, again_hint: str = "--again") -> str:
    """What to tell someone loading a file that was loaded before: nothing to do, or (when
    later uploads changed its figures) that it was superseded and how to go back."""
    a = p.already_loaded
    when = f"{pd.Timestamp(a['uploaded_at']):%d %b %Y %H:%M}"
    later = p.superseded_by
    if not later:
        return (f"{file_name} was already loaded as upload {a['upload_id']} on {when}: "
                "nothing changed.")
    n = len(p.new) + len(p.revised)
    ids = ", ".join(str(i) for i in later)
    return (f"{file_name} was loaded before, as upload {a['upload_id']} on {when}, and has "
            f"since been superseded: {n} of its values were changed by later upload(s) {ids}. "
            f"Nothing was loaded. To make this file's figures current again, load it again "
            f"({again_hint}) as a new upload that revises those values, or revert upload(s) "
            f"{ids} (`lacdash revert ID`).")


class _NothingToDo(Exception):
    def __init__(self, result: CommitResult):
        self.result = result


def commit_upload(*args, **kwargs) -> CommitResult:
    """`commit`, but 'nothing to do' is a normal result rather than an exception."""
    try:
        return commit(*args, **kwargs)
    except _NothingToDo as nothing:
        return nothing.result


def revert(db: Path, upload_id: int, *, user: str | None = None) -> dict:
    """Undo an upload: values it wrote return to what they were before it."""
    user = user or current_user()
    db = Path(db)
    out = {}
    with write_transaction(db) as con:
        row = con.execute("SELECT status, file_name FROM uploads WHERE upload_id = ?",
                          [upload_id]).fetchall()
        if not row:
            raise WarehouseError(f"There is no upload {upload_id} (see `lacdash history`).")
        row = row[0]
        if row[0] == "reverted":
            raise WarehouseError(f"Upload {upload_id} ({row[1]}) was already reverted.")
        ts = now()
        # The latest earlier value of each key this upload replaced comes back.
        con.execute(f"""
            CREATE TEMP TABLE restore AS
            SELECT * EXCLUDE (rn) FROM (
              SELECT r.*, row_number() OVER (PARTITION BY indicator_code, area_code,
                     period_start, period_end, breakdown, source
                     ORDER BY replaced_at DESC) AS rn
              FROM revisions r WHERE replaced_by_upload = {upload_id}) WHERE rn = 1""")
        owned, restored = _revert_counts(con, upload_id)
        con.execute(f"""
            INSERT INTO observations ({OBS_COLS})
            SELECT r.indicator_code, r.area_code, r.period_start, r.period_end, r.period_label,
                   r.period_type, r.breakdown, r.value, r.numerator, r.denominator,
                   r.missing_reason, r.status, r.upload_id, r.source
            FROM restore r SEMI JOIN observations o
              ON o.indicator_code = r.indicator_code AND o.area_code = r.area_code
             AND o.period_start = r.period_start AND o.period_end = r.period_end
             AND o.breakdown = r.breakdown AND o.source = r.source
             AND o.upload_id = {upload_id}""")
        con.execute("CREATE TEMP TABLE reverted_keys AS SELECT indicator_code, area_code, "
                    "period_start, period_end, breakdown FROM observations WHERE upload_id = ?",
                    [upload_id])
        con.execute("DELETE FROM observations WHERE upload_id = ?", [upload_id])
        con.execute("DELETE FROM revisions WHERE replaced_by_upload = ? OR upload_id = ?",
                    [upload_id, upload_id])
        for side in ("ssda903_quality", "ssda903_year_end"):
            con.execute(f"DELETE FROM {side} WHERE upload_id = ?", [upload_id])
        _mark_twins(con, "reverted_keys")  # the figures it removed or put back
        con.execute("DROP TABLE reverted_keys")
        con.execute("UPDATE uploads SET status = 'reverted', reverted_at = ?, reverted_by = ? "
                    "WHERE upload_id = ?", [ts, user, upload_id])
        out = {"upload_id": upload_id, "file_name": row[1], "values_removed": owned - restored,
               "values_restored": restored}
        log(con, user, "revert", f"upload {upload_id}: {row[1]} ({owned - restored} removed, "
                                 f"{restored} restored to earlier values)")
    return out


def _revert_counts(con, upload_id: int) -> tuple[int, int]:
    """(values the upload holds now, how many of them a revert restores to earlier values)."""
    owned = con.execute("SELECT count(*) FROM observations WHERE upload_id = ?",
                        [upload_id]).fetchall()[0][0]
    restored = con.execute("""
        SELECT count(DISTINCT (r.indicator_code, r.area_code, r.period_start, r.period_end,
               r.breakdown, r.source)) FROM revisions r SEMI JOIN observations o
          ON o.indicator_code = r.indicator_code AND o.area_code = r.area_code
         AND o.period_start = r.period_start AND o.period_end = r.period_end
         AND o.breakdown = r.breakdown AND o.source = r.source AND o.upload_id = ?
        WHERE r.replaced_by_upload = ?""", [upload_id, upload_id]).fetchall()[0][0]
    return owned, restored


def revert_preview(db: Path, upload_id: int) -> dict:
    """What a revert would change, for the confirmation message."""
    with reading(db) as con:
        row = con.execute("SELECT status, file_name FROM uploads WHERE upload_id = ?",
                          [upload_id]).fetchall()
        if not row:
            raise WarehouseError(f"There is no upload {upload_id}.")
        row = row[0]
        owned, restored = _revert_counts(con, upload_id)
        return {"upload_id": upload_id, "file_name": row[1], "status": row[0],
                "values_removed": owned - restored, "values_restored": restored}


def history(db: Path) -> pd.DataFrame:
    if not Path(db).exists():
        return pd.DataFrame(columns=["upload_id"])
    with reading(db) as con:
        return con.execute("SELECT * FROM uploads ORDER BY upload_id DESC").df()


def archived_file(config_or_dir, sha: str) -> Path:
    d = getattr(config_or_dir, "archive_dir", None) or Path(config_or_dir)
    return Path(d) / sha


def record_action(db: Path, user: str, action: str, detail: str = "") -> None:
    with write_transaction(db) as con:
        log(con, user, action, detail)


def save_commentary(db: Path, month, section: str, text: str, user: str) -> int:
    with write_transaction(db) as con:
        v = con.execute("SELECT coalesce(max(version), 0) + 1 FROM commentary "
                        "WHERE month = ? AND section = ?", [month, section]).fetchall()[0][0]
        con.execute("INSERT INTO commentary VALUES (?,?,?,?,?,?)",
                    [month, section, text, user, now(), v])
        log(con, user, "key points", f"{section} {month}: version {v}")
    return v


# ---------------------------------------------------------------- SPC step changes

def record_step_change(db: Path, code: str, month, reason: str, user: str) -> int:
    """An editor's step change: the SPC limits of `code` start again from `month` (a month
    end) because of `reason` (a new recording system, a service redesign). Logged."""
    reason = (reason or "").strip()
    if not reason:
        raise WarehouseError("a step change needs a reason (for example 'new recording system')")
    with write_transaction(db) as con:
        if con.execute("SELECT count(*) FROM step_changes WHERE indicator_code = ? AND "
                       "month = ? AND removed_at IS NULL", [code, month]).fetchall()[0][0]:
            raise WarehouseError(f"{code} already has a step change at {month}")
        sid = con.execute("SELECT coalesce(max(step_id), 0) + 1 FROM step_changes"
                          ).fetchall()[0][0]
        con.execute("INSERT INTO step_changes VALUES (?,?,?,?,?,?,NULL,NULL)",
                    [sid, code, month, reason, user, now()])
        log(con, user, "step change", f"{code} from {month}: {reason} (step {sid})")
    return sid


def remove_step_change(db: Path, step_id: int, user: str) -> None:
    """Withdraw a step change (kept in the table, marked removed, and logged)."""
    with write_transaction(db) as con:
        row = con.execute("SELECT indicator_code, month, reason FROM step_changes WHERE "
                          "step_id = ? AND removed_at IS NULL", [step_id]).fetchall()
        if not row:
            raise WarehouseError(f"no step change {step_id} to remove")
        con.execute("UPDATE step_changes SET removed_at = ?, removed_by = ? WHERE step_id = ?",
                    [now(), user, step_id])
        code, month, reason = row[0]
        log(con, user, "step change removed", f"{code} from {month}: {reason} (step {step_id})")
