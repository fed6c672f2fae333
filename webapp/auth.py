"""Who is using the app and what they may do: viewer < editor < admin.

Three ways to know who someone is, chosen by `[auth] mode` in the config:

- `header`: the council's single-sign-on proxy puts the user name in a header (e.g.
  X-Remote-User); we trust it only because the proxy is the sole way in. Roles come from the
  users file; anyone not listed is a viewer.
- `local`: a users TOML file with salted password hashes and a sign-in form (small deployments).
- `demo`: the sample only: anyone may pick a role, and every page says so.

Server-side checks are the real guard: every callback that changes something calls
`require(role)` first, so hiding a button is never the only protection.
"""
from __future__ import annotations

import os
import re
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path

from flask import abort, current_app, has_request_context, redirect, request, send_file, session
from werkzeug.security import check_password_hash, generate_password_hash

from pipelines.store.warehouse import archived_file, history, record_action
from webapp.context import get_config

ROLES = ("viewer", "editor", "admin")
MODES = ("header", "local", "demo")
ANONYMOUS = "anonymous"
MAX_CONTENT_LENGTH = 64 * 1024 * 1024  # request body cap; base64 inflates files by a third
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
    """From the config, else LACDASH_SECRET_KEY, else a generated file beside the warehouse
    (so every gunicorn worker, and a restart, share the same key)."""
    key = (config.auth or {}).get("secret_key") or os.environ.get("LACDASH_SECRET_KEY")
    if key:
        return str(key)
    path = config.warehouse_path.parent / ".lacdash_secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # O_EXCL: two workers starting at once agree on one key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


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


def verify_password(config, name: str, password: str) -> User | None:
    u = load_users(config).get((name or "").strip())
    if not u or not u.get("password_hash") or not password:
        return None
    if not check_password_hash(u["password_hash"], password):
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
        if not name:
            return User(ANONYMOUS, "viewer")
        role = load_users(config).get(name, {}).get("role", "viewer")
        return User(name, role)
    name = session.get("user")
    if not name:
        return User(ANONYMOUS, "viewer")
    if mode == "demo":
        role = session.get("role", "viewer")
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

def init_auth(server, config) -> None:
    """Secret key, body-size cap and the sign-in, sign-out and archived-file routes."""
    if "lacdash_sign_in" in server.view_functions:  # already set up for this server
        server.config["LACDASH_CONFIG"] = config
        return
    mode = auth_mode(config)
    server.config["LACDASH_CONFIG"] = config
    server.secret_key = secret_key(config)
    server.config["MAX_CONTENT_LENGTH"] = MAX_CONTENT_LENGTH
    server.config["SESSION_COOKIE_HTTPONLY"] = True
    server.config["SESSION_COOKIE_SAMESITE"] = "Lax"

    def _back():
        nxt = request.form.get("next") or request.args.get("next") or "/"
        return nxt if nxt.startswith("/") and not nxt.startswith("//") else "/"

    @server.route("/auth/sign-in", methods=["POST"])
    def lacdash_sign_in():
        if mode == "demo":
            role = request.form.get("role", "viewer")
            if role not in ROLES:
                abort(400)
            session.clear()
            session["user"], session["role"] = f"demo-{role}", role
            audit(config, session["user"], "sign in", f"demo sign-in as {role}")
            return redirect(_back())
        if mode == "local":
            user = verify_password(config, request.form.get("name", ""),
                                   request.form.get("password", ""))
            if user is None:
                return redirect("/login?failed=1")
            session.clear()
            session["user"] = user.name
            audit(config, user, "sign in", f"signed in ({user.role})")
            return redirect(_back())
        abort(404)  # header mode: the proxy signs people in

    @server.route("/auth/sign-out", methods=["POST", "GET"])
    def lacdash_sign_out():
        user = current_user(config)
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
            abort(404)
        return send_file(path, as_attachment=True, download_name=str(row.file_name.iloc[0]))

    @server.errorhandler(413)
    def lacdash_too_large(_err):
        return (f"The upload is larger than the server accepts ("
                f"{MAX_CONTENT_LENGTH // (1024 * 1024)} MB including encoding). Split the file "
                "or remove unused sheets and try again.", 413)
