"""What keeps sign-in safe on a council network (issue 14), used by `webapp.auth`:

- which requests may carry the single-sign-on header (configured proxy addresses and/or a
  shared secret the proxy adds);
- server-side sign-in sessions, so a copied cookie stops working at sign-out;
- throttling of failed sign-ins per user and per address;
- same-site checks: the `next` address after sign-in, and the Origin of state-changing
  requests.

Sessions and failed attempts live in a small SQLite file (`[auth] state_file`, default
`.lacdash_auth.sqlite` beside the warehouse) so every gunicorn worker sees the same ones.
"""
from __future__ import annotations

import contextlib
import hmac
import ipaddress
import os
import secrets
import sqlite3
import time
from pathlib import Path
from urllib.parse import urlsplit

SESSION_MAX_AGE_S = 12 * 3600        # a sign-in lasts a working day
THROTTLE_WINDOW_S = 15 * 60
MAX_FAILURES_PER_USER = 5           # then that user name is refused for the window
MAX_FAILURES_PER_ADDRESS = 20       # then that address is refused for the window
DEFAULT_PROXIES = ("127.0.0.1", "::1")
DEFAULT_SECRET_HEADER = "X-Lacdash-Proxy-Secret"


class SignInUnavailable(RuntimeError):
    """The sign-in state file cannot be written (e.g. a read-only folder); says which."""


# ------------------------------------------------------------------ the proxy header

def trusted_proxies(config) -> list:
    raw = (config.auth or {}).get("trusted_proxies", list(DEFAULT_PROXIES))
    if isinstance(raw, str):
        raw = [raw]
    nets = []
    for item in raw:
        try:
            nets.append(ipaddress.ip_network(str(item), strict=False))
        except ValueError as exc:
            raise ValueError(f"[auth] trusted_proxies in {config.config_path}: '{item}' is not "
                             f"an IP address or network ({exc})") from None
    return nets


def proxy_secret(config) -> tuple[str, str | None]:
    """(header name, secret or None). The secret comes from `[auth] proxy_secret` or the
    LACDASH_PROXY_SECRET environment variable."""
    auth = config.auth or {}
    secret = auth.get("proxy_secret") or os.environ.get("LACDASH_PROXY_SECRET") or None
    return str(auth.get("proxy_secret_header", DEFAULT_SECRET_HEADER)), secret


def from_trusted_proxy(config, remote_addr: str | None, headers) -> bool:
    """True when this request came through the council's proxy: from a configured address,
    and carrying the shared secret when one is configured."""
    try:
        addr = ipaddress.ip_address((remote_addr or "").split("%")[0])
    except ValueError:
        return False
    if not any(addr in net for net in trusted_proxies(config)):
        return False
    name, secret = proxy_secret(config)
    if secret is None:
        return True
    given = headers.get(name) or ""
    return hmac.compare_digest(given.encode(), str(secret).encode())


# ------------------------------------------------------------------ same-site checks

def safe_next(nxt: str | None) -> str:
    """A path on this site to go to after sign-in, else "/". Browsers drop tabs and
    newlines and read a backslash as a slash, so `/%09/evil.example` or `/\\evil.example`
    would leave the site: anything but a plain local path is refused."""
    if not nxt or not isinstance(nxt, str) or not nxt.startswith("/"):
        return "/"
    if any(ord(ch) < 0x21 or ord(ch) == 0x7F or ch == "\\" for ch in nxt):
        return "/"
    if nxt.startswith("//"):
        return "/"
    parts = urlsplit(nxt)
    if parts.scheme or parts.netloc:
        return "/"
    return nxt


def same_origin(request, extra_origins=(), forwarded_host: str | None = None) -> bool:
    """False when a browser says the request comes from another site (Origin header, or
    Sec-Fetch-Site for browsers that send it); requests without either (command-line
    clients, which carry no victim's cookie) are not a cross-site forgery.
    `forwarded_host`: the host a trusted proxy says the browser asked for (X-Forwarded-Host),
    when the proxy does not pass the Host header on."""
    if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
        return False
    origin = request.headers.get("Origin")
    if not origin:
        return True
    if origin == "null":
        return False
    o = urlsplit(origin)
    allowed = {f"{request.scheme}://{request.host}".lower(), *(s.lower().rstrip("/")
                                                             for s in extra_origins)}
    if f"{o.scheme}://{o.netloc}".lower() in allowed:
        return True
    # behind a TLS-terminating proxy the app sees http: compare host and port only
    hosts = {request.host.lower()}
    if forwarded_host:
        hosts.add(forwarded_host.split(",")[0].strip().lower())
    return o.netloc.lower() in hosts


# ------------------------------------------------------------------ shared state

def state_file(config) -> Path:
    p = Path((config.auth or {}).get("state_file", ".lacdash_auth.sqlite"))
    return p if p.is_absolute() else config.warehouse_path.parent / p


@contextlib.contextmanager
def _db(config):
    path = state_file(config)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(path, timeout=10, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise SignInUnavailable(f"Sign-in is unavailable: cannot open {path} ({exc}). The "
                                "folder must be writable by the server, or set [auth] "
                                "state_file to a writable place.") from None
    try:
        con.execute("CREATE TABLE IF NOT EXISTS sessions (sid TEXT PRIMARY KEY, user TEXT, "
                    "role TEXT, created REAL, seen REAL)")
        con.execute("CREATE TABLE IF NOT EXISTS failures (key TEXT, at REAL)")
        yield con
    except sqlite3.OperationalError as exc:
        raise SignInUnavailable(f"Sign-in is unavailable: {path} cannot be written ({exc}). "
                                "The folder must be writable by the server, or set [auth] "
                                "state_file to a writable place.") from None
    finally:
        con.close()


def new_session(config, user: str, role: str | None = None) -> str:
    sid = secrets.token_urlsafe(32)
    now = time.time()
    with _db(config) as con:
        con.execute("DELETE FROM sessions WHERE seen < ?", [now - SESSION_MAX_AGE_S])
        con.execute("INSERT INTO sessions VALUES (?,?,?,?,?)", [sid, user, role, now, now])
    return sid


def session_user(config, sid) -> tuple[str, str | None] | None:
    """(user, role) of a live session, else None (signed out, expired or never issued)."""
    if not isinstance(sid, str) or not sid:
        return None
    try:
        with _db(config) as con:
            row = con.execute("SELECT user, role, created FROM sessions WHERE sid = ?",
                              [sid]).fetchone()
    except SignInUnavailable:
        return None
    if row is None or row[2] < time.time() - SESSION_MAX_AGE_S:
        return None
    return row[0], row[1]


def end_session(config, sid) -> None:
    if isinstance(sid, str) and sid:
        with _db(config) as con:
            con.execute("DELETE FROM sessions WHERE sid = ?", [sid])


def throttled(config, user: str, address: str) -> int:
    """Seconds until this user name or address may try again (0: now)."""
    now = time.time()
    with _db(config) as con:
        con.execute("DELETE FROM failures WHERE at < ?", [now - THROTTLE_WINDOW_S])
        wait = 0
        for key, limit in ((f"user:{user.lower()}", MAX_FAILURES_PER_USER),
                           (f"addr:{address}", MAX_FAILURES_PER_ADDRESS)):
            times = [r[0] for r in con.execute(
                "SELECT at FROM failures WHERE key = ? ORDER BY at DESC", [key])]
            if len(times) >= limit:
                wait = max(wait, int(times[limit - 1] + THROTTLE_WINDOW_S - now) + 1)
    return wait


def record_failure(config, user: str, address: str) -> None:
    now = time.time()
    with _db(config) as con:
        con.executemany("INSERT INTO failures VALUES (?, ?)",
                        [(f"user:{user.lower()}", now), (f"addr:{address}", now)])


def clear_failures(config, user: str) -> None:
    with _db(config) as con:
        con.execute("DELETE FROM failures WHERE key = ?", [f"user:{user.lower()}"])
