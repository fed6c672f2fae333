"""Who is using the app and what they may do: viewer < editor < admin.

Three ways to know who someone is, chosen by `[auth] mode` in the config:

- `header`: the council's single-sign-on proxy puts the user name in a header (e.g.
  X-Remote-User). It is trusted only on requests from `[auth] trusted_proxies` (default the
  same machine) carrying the shared secret when `proxy_secret` is set; from anywhere else
  the header is refused (403). Roles come from the users file; anyone not listed is a viewer.
- `local`: a users TOML file with salted password hashes and a sign-in form (small deployments).
- `demo`: the sample only: anyone may pick a role, and every page says so.

Server-side checks are the real guard: every callback that changes something calls
`require(role)` first, so hiding a button is never the only protection.
"""
from __future__ import annotations

import logging
import os
import re
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

from flask import abort, current_app, has_request_context, redirect, request, send_file, session
from flask.sessions import SecureCookieSessionInterface
from werkzeug.security import check_password_hash, generate_password_hash

from pipelines.store.warehouse import archived_file, history, record_action
from webapp import security
from webapp.context import get_config

ROLES = ("viewer", "editor", "admin")
MODES = ("header", "local", "demo")
ANONYMOUS = "anonymous"
MAX_CONTENT_LENGTH = 64 * 1024 * 1024  # request body cap; base64 inflates files by a third
# Bodies from anyone below editor (no file uploads): checked before the body is read.
MAX_VIEWER_BODY = 1024 * 1024
_log = logging.getLogger("lacdash.auth")
_NAME_RE = re.compile(r"^[A-Za-z0-9._@\-]{1,64}$")


class PermissionDenied(Exception):
    """The signed-in user lacks the role an action needs (the message says which)."""


class AuthError(ValueError):
    """A users-file or sign-in problem a person can fix (bad name, unknown role, ...)."""


@dataclass(frozen=True)
class User:
    name: str
    role: str = "viewer"

    @property
    def signed_in(self) -> bool:
        return self.name != ANONYMOUS

    def has(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


# ------------------------------------------------------------------ configuration

def auth_mode(config) -> str:
    mode = str((config.auth or {}).get("mode", "demo" if config.is_sample else "local"))
    if mode not in MODES:
        raise AuthError(f"[auth] mode = '{mode}' in {config.config_path}: expected one of "
                        f"{', '.join(MODES)}")
    if mode == "demo" and not config.is_sample:
        # A real authority's figures must never sit behind a pick-your-role sign-in.
        raise AuthError(f"[auth] mode = 'demo' is only allowed for the sample ({config.config_path}"
                        " has no `sample = true`): use 'header' or 'local'")
    return mode


def users_file(config) -> Path:
    p = Path((config.auth or {}).get("users_file", "users.toml"))
    return p if p.is_absolute() else config.config_path.parent / p


def secret_key(config) -> str:
    """From `[auth] secret_key` in the config, else LACDASH_SECRET_KEY. A real authority's
    key must be one of those (it signs sign-in cookies, so it does not belong beside the
    data, where a copy of the warehouse folder would carry it). The sample alone falls back
    to a generated file beside the warehouse (shared by every worker and restart)."""
    key = (config.auth or {}).get("secret_key") or os.environ.get("LACDASH_SECRET_KEY")
    if key:
        return str(key)
    if auth_mode(config) != "demo":
        raise AuthError(f"No secret key: set `secret_key` under [auth] in {config.config_path} "
                        "or the LACDASH_SECRET_KEY environment variable to a long random "
                        "string (e.g. the output of `python -c \"import secrets; "
                        "print(secrets.token_hex(32))\"`)")
    path = config.warehouse_path.parent / ".lacdash_secret_key"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:  # O_EXCL: two workers starting at once agree on one key
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(32))
        return path.read_text().strip()
    except OSError as exc:
        raise AuthError(f"Cannot keep the sample's secret key in {path} ({exc.strerror}): make "
                        f"{path.parent} writable, or set LACDASH_SECRET_KEY") from None


# ------------------------------------------------------------------ users file

def load_users(config) -> dict[str, dict]:
    """name -> {"role": ..., "password_hash": ...} (empty when there is no file yet)."""
    path = users_file(config)
    if not path.exists():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AuthError(f"{path}: not valid TOML ({exc})") from exc
    users = {}
    for name, entry in (raw.get("users") or {}).items():
        role = str(entry.get("role", "viewer"))
        if role not in ROLES:
            raise AuthError(f"{path}: user '{name}' has role '{role}'; expected one of "
                            f"{', '.join(ROLES)}")
        users[str(name)] = {"role": role, "password_hash": entry.get("password_hash", "")}
    return users


def _toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def save_users(config, users: dict[str, dict]) -> None:
    """Write the users file atomically (a half-written file would lock everyone out)."""
    path = users_file(config)
    lines = ["# lacdash users: roles viewer | editor | admin; passwords are salted scrypt hashes.",
             "# Edit through the admin page or `webapp.auth.set_user`.", ""]
    for name in sorted(users):
        u = users[name]
        lines += [f"[users.{_toml_str(name)}]", f"role = {_toml_str(u['role'])}"]
        if u.get("password_hash"):
            lines.append(f"password_hash = {_toml_str(u['password_hash'])}")
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def set_user(config, name: str, role: str, password: str | None = None) -> str:
    """Add a user or change their role (and password when given). Returns what changed."""
    name = (name or "").strip()
    if not _NAME_RE.match(name):
        raise AuthError(f"'{name}' is not a usable user name: use 1 to 64 letters, digits, "
                        "dots, dashes, underscores or @")
    if role not in ROLES:
        raise AuthError(f"'{role}' is not a role: expected one of {', '.join(ROLES)}")
    users = load_users(config)
    before = users.get(name)
    entry = dict(before or {"password_hash": ""})
    entry["role"] = role
    if password:
        if len(password) < 10:
            raise AuthError("Passwords need at least 10 characters.")
        entry["password_hash"] = generate_password_hash(password)
    elif before is None and auth_mode(config) == "local":
        raise AuthError(f"A new user needs a password to sign in ('{name}').")
    users[name] = entry
    save_users(config, users)
    if before is None:
        return f"added {name} as {role}"
    what = f"{name}: role {before['role']} -> {role}"
    return what + (", password changed" if password else "")


_DUMMY_HASH: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY_HASH:
        _DUMMY_HASH.append(generate_password_hash(secrets.token_hex(16)))
    return _DUMMY_HASH[0]


def verify_password(config, name: str, password: str) -> User | None:
    """The user when the password matches. An unknown name costs the same hash check as a
    known one, so the time taken does not tell which user names exist."""
    u = load_users(config).get((name or "").strip())
    stored = (u or {}).get("password_hash") or _dummy_hash()
    ok = check_password_hash(stored, password or "")
    if not u or not u.get("password_hash") or not password or not ok:
        return None
    return User(name.strip(), u["role"])


# ------------------------------------------------------------------ the current request

def _app_config():
    if "LACDASH_CONFIG" in current_app.config:
        return current_app.config["LACDASH_CONFIG"]
    return get_config()


def current_user(config=None) -> User:
    """The user of the current request (anonymous viewer outside one or when not signed in)."""
    if not has_request_context():
        return User(ANONYMOUS, "viewer")
    config = config or _app_config()
    mode = auth_mode(config)
    if mode == "header":
        header = (config.auth or {}).get("header", "X-Remote-User")
        name = (request.headers.get(header) or "").strip()
        if not name or not security.from_trusted_proxy(config, request.remote_addr,
                                                       request.headers):
            return User(ANONYMOUS, "viewer")
        role = load_users(config).get(name, {}).get("role", "viewer")
        return User(name, role)
    # The cookie names a server-side session; signing out ends it, so a copied cookie
    # stops working then (the cookie alone is not enough).
    live = security.session_user(config, session.get("sid"))
    name = live[0] if live else None
    if not name or name != session.get("user"):
        return User(ANONYMOUS, "viewer")
    if mode == "demo":
        role = live[1] or "viewer"
        return User(name, role if role in ROLES else "viewer")
    # local: read the role afresh so an admin's change (or removal) applies at once
    u = load_users(config).get(name)
    return User(name, u["role"]) if u else User(ANONYMOUS, "viewer")


def require(role: str, config=None) -> User:
    """Call first in every callback that changes something; raises PermissionDenied."""
    user = current_user(config)
    if not user.has(role):
        who = "not signed in" if not user.signed_in else f"signed in as {user.name} ({user.role})"
        raise PermissionDenied(f"This needs {role} access; you are {who}.")
    return user


def audit(config, user: User | str, action: str, detail: str = "") -> None:
    name = user.name if isinstance(user, User) else str(user)
    record_action(config.warehouse_path, name, action, detail)


# ------------------------------------------------------------------ Flask wiring

def start_session(config, name: str, role: str | None = None) -> None:
    """Sign `name` in for this browser: a new server-side session named in the cookie."""
    session.clear()
    session["sid"] = security.new_session(config, name, role)
    session["user"] = name
    if role is not None:
        session["role"] = role


def _typed_name(name: str) -> str:
    """A user name as typed, safe to write in the audit log (any text can be typed)."""
    clean = re.sub(r"[^\x21-\x7e]", "?", (name or "").strip())[:64]
    return clean or "(blank)"


class _SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions with the `Secure` flag set from `[auth] secure_cookie`
    (true / false / "auto": when the request arrived over HTTPS, directly or through a
    trusted proxy that says so in X-Forwarded-Proto)."""

    def __init__(self, config):
        self._config = config

    def get_cookie_secure(self, app) -> bool:
        setting = (self._config.auth or {}).get("secure_cookie", "auto")
        if isinstance(setting, bool):
            return setting
        if not has_request_context():
            return False
        if request.is_secure:
            return True
        return (request.headers.get("X-Forwarded-Proto", "").lower() == "https" and
                security.from_trusted_proxy(self._config, request.remote_addr,
                                            request.headers))


_SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def init_auth(server, config) -> None:
    """Secret key, body-size caps, request checks and the sign-in, sign-out and
    archived-file routes."""
    if "lacdash_sign_in" in server.view_functions:  # already set up for this server
        server.config["LACDASH_CONFIG"] = config
        return
    mode = auth_mode(config)
    server.config["LACDASH_CONFIG"] = config
    server.secret_key = secret_key(config)
    server.config["MAX_CONTENT_LENGTH"] = MAX_CONTENT_LENGTH
    server.config["SESSION_COOKIE_HTTPONLY"] = True
    server.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    server.session_interface = _SessionInterface(config)
    header_name = (config.auth or {}).get("header", "X-Remote-User")
    extra_origins = tuple((config.auth or {}).get("allowed_origins", ()))
    security.trusted_proxies(config)  # a mistyped address stops the start, saying which

    def _back():
        return security.safe_next(request.form.get("next") or request.args.get("next"))

    def _refuse(status: int, message: str):
        _log.warning("refused %s %s from %s: %s", request.method, request.path,
                     request.remote_addr, message)
        return message, status, {"Content-Type": "text/plain; charset=utf-8"}

    @server.before_request
    def lacdash_check_request():
        # 1. The sign-in header only from the council's proxy (which strips it from clients).
        if mode == "header" and request.headers.get(header_name) and not \
                security.from_trusted_proxy(config, request.remote_addr, request.headers):
            return _refuse(403, f"The {header_name} header is only accepted from the "
                                "council's sign-in proxy.")
        if request.method in _SAFE_METHODS:
            return None
        # 2. Writes only from pages of this site (no cross-site forms or scripts).
        forwarded = (request.headers.get("X-Forwarded-Host") if security.from_trusted_proxy(
            config, request.remote_addr, request.headers) else None)
        if not security.same_origin(request, extra_origins, forwarded):
            return _refuse(403, "Refused: this request came from another site.")
        # 3. Only editors send large bodies (files): refuse others before reading one.
        if not current_user(config).has("editor"):
            if (request.content_length or 0) > MAX_VIEWER_BODY:
                return _refuse(413, "The request is larger than the server accepts from "
                                    "someone who is not signed in as an editor.")
            request.max_content_length = MAX_VIEWER_BODY
        return None

    @server.errorhandler(PermissionDenied)
    def lacdash_permission_denied(exc):
        return _refuse(403, str(exc))

    @server.errorhandler(security.SignInUnavailable)
    def lacdash_sign_in_unavailable(exc):
        return _refuse(503, str(exc))

    @server.route("/auth/sign-in", methods=["POST"])
    def lacdash_sign_in():
        if mode == "demo":
            role = request.form.get("role", "viewer")
            if role not in ROLES:
                abort(400)
            start_session(config, f"demo-{role}", role)
            audit(config, session["user"], "sign in", f"demo sign-in as {role}")
            return redirect(_back())
        if mode == "local":
            name = (request.form.get("name") or "").strip()
            address = request.remote_addr or ""
            if security.throttled(config, name, address):
                return redirect("/login?failed=wait")
            user = verify_password(config, name, request.form.get("password", ""))
            if user is None:
                security.record_failure(config, name, address)
                audit(config, _typed_name(name), "sign in failed",
                      f"wrong user name or password from {address}")
                if security.throttled(config, name, address):
                    audit(config, _typed_name(name), "sign in throttled",
                          f"too many failed sign-ins for this name or from {address}: "
                          f"refused for up to {security.THROTTLE_WINDOW_S // 60} minutes")
                return redirect("/login?failed=1")
            security.clear_failures(config, user.name)
            start_session(config, user.name)
            audit(config, user, "sign in", f"signed in ({user.role})")
            return redirect(_back())
        abort(404)  # header mode: the proxy signs people in

    @server.route("/auth/sign-out", methods=["POST"])
    def lacdash_sign_out():
        user = current_user(config)
        security.end_session(config, session.get("sid"))
        session.clear()
        if user.signed_in and mode != "header":
            audit(config, user, "sign out")
        return redirect("/")

    @server.route("/uploads/<int:upload_id>/file")
    def lacdash_uploaded_file(upload_id: int):
        """An upload exactly as it arrived (editors only: extracts can be sensitive)."""
        if not current_user(config).has("editor"):
            abort(403)
        h = history(config.warehouse_path)
        row = h[h.upload_id == upload_id]
        if row.empty:
            abort(404)
        path = archived_file(config, str(row.sha256.iloc[0]))
        if not path.exists():
            return (f"Upload {upload_id} ({row.file_name.iloc[0]}) is in the history, but its "
                    f"archived copy has been deleted from {path.parent}: the file is gone.",
                    410, {"Content-Type": "text/plain; charset=utf-8"})
        return send_file(path, as_attachment=True, download_name=str(row.file_name.iloc[0]))

    @server.errorhandler(413)
    def lacdash_too_large(_err):
        return (f"The upload is larger than the server accepts ("
                f"{MAX_CONTENT_LENGTH // (1024 * 1024)} MB including encoding; "
                f"{MAX_VIEWER_BODY // (1024 * 1024)} MB unless signed in as an editor). Split "
                "the file or remove unused sheets and try again.", 413)
