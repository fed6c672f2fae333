"""Sign-in modes, the users file, roles, and the Flask routes auth adds."""
from __future__ import annotations

import pytest

from webapp import auth
from webapp.auth import AuthError, PermissionDenied, User


def test_roles_are_ordered():
    assert User("a", "admin").has("editor") and User("e", "editor").has("viewer")
    assert not User("v", "viewer").has("editor") and not User("e", "editor").has("admin")


def test_users_file_keeps_salted_hashes_not_passwords(make_config):
    config = make_config(mode="local", sample=False)
    auth.set_user(config, "ann.editor", "editor", "correct horse battery")
    auth.set_user(config, "bob", "viewer", "another long password")
    text = auth.users_file(config).read_text()
    assert "correct horse" not in text and "scrypt:" in text
    assert auth.verify_password(config, "ann.editor", "correct horse battery") == \
        User("ann.editor", "editor")
    assert auth.verify_password(config, "ann.editor", "wrong password!!") is None
    assert auth.verify_password(config, "nobody", "correct horse battery") is None
    assert auth.set_user(config, "bob", "admin") == "bob: role viewer -> admin"
    assert auth.load_users(config)["bob"]["role"] == "admin"
    # the role change kept bob's password
    assert auth.verify_password(config, "bob", "another long password") == User("bob", "admin")


@pytest.mark.parametrize("name, role, password, words", [
    ("bad name!", "editor", "long enough pw", "not a usable user name"),
    ("carol", "superuser", "long enough pw", "not a role"),
    ("carol", "editor", "short", "at least 10 characters"),
    ("carol", "editor", None, "needs a password"),
])
def test_set_user_refuses_with_a_reason(make_config, name, role, password, words):
    config = make_config(mode="local", sample=False)
    with pytest.raises(AuthError, match=words):
        auth.set_user(config, name, role, password)


def test_demo_sign_in_is_refused_for_a_real_authority(make_config):
    config = make_config(mode="demo", sample=False)
    with pytest.raises(AuthError, match="only allowed for the sample"):
        auth.auth_mode(config)


def test_secret_key_is_generated_once_beside_the_warehouse(config):
    from dataclasses import replace
    c = replace(config, auth={"mode": "demo"})
    k1, k2 = auth.secret_key(c), auth.secret_key(c)
    assert k1 == k2 and len(k1) == 64
    assert (config.warehouse_path.parent / ".lacdash_secret_key").stat().st_mode & 0o077 == 0


def test_header_mode_trusts_the_proxy_header_and_the_users_file_role(make_config, server_for):
    config = make_config(mode="header", sample=False)
    auth.set_user(config, "jo.admin", "admin")  # header mode: no password needed
    server = server_for(config)
    proxy = {"REMOTE_ADDR": "127.0.0.1"}  # the proxy on the same machine (the default)
    with server.test_request_context(headers={"X-Remote-User": "jo.admin"}, environ_base=proxy):
        assert auth.current_user() == User("jo.admin", "admin")
    with server.test_request_context(headers={"X-Remote-User": "someone.else"},
                                     environ_base=proxy):
        assert auth.current_user() == User("someone.else", "viewer")
    with server.test_request_context():
        assert not auth.current_user().signed_in
        with pytest.raises(PermissionDenied, match="needs editor access; you are not signed in"):
            auth.require("editor")


def test_local_sign_in_and_out_are_audited(make_config, server_for):
    config = make_config(mode="local", sample=False)
    auth.set_user(config, "ann", "editor", "correct horse battery")
    client = server_for(config).test_client()
    r = client.post("/auth/sign-in", data={"name": "ann", "password": "nope nope nope"})
    assert r.headers["Location"].endswith("/login?failed=1")
    r = client.post("/auth/sign-in", data={"name": "ann", "password": "correct horse battery",
                                           "next": "/upload"})
    assert r.headers["Location"].endswith("/upload")
    with client.session_transaction() as s:
        assert s["user"] == "ann"
    client.post("/auth/sign-out")
    from pipelines.store.queries import Warehouse
    log = Warehouse(config).audit_log()
    assert sorted(log.action[:2]) == ["sign in", "sign out"] and set(log.user_name[:2]) == {"ann"}


def test_an_open_redirect_is_not_followed(config, server_for):
    client = server_for(config).test_client()
    r = client.post("/auth/sign-in", data={"role": "editor", "next": "//evil.example/"})
    assert r.headers["Location"] == "/"


def test_demo_sign_in_picks_a_role(config, server_for):
    server = server_for(config)
    client = server.test_client()
    client.post("/auth/sign-in", data={"role": "editor"})
    with client.session_transaction() as s:
        assert (s["user"], s["role"]) == ("demo-editor", "editor")
    assert client.post("/auth/sign-in", data={"role": "god"}).status_code == 400


def test_uploaded_file_downloads_as_uploaded_for_editors_only(config, server_for):
    from tests.upload.conftest import SAMPLE
    client = server_for(config).test_client()
    assert client.get("/uploads/2/file").status_code == 403
    client.post("/auth/sign-in", data={"role": "editor"})
    r = client.get("/uploads/2/file")
    assert r.status_code == 200
    assert r.data == (SAMPLE / "local_monthly_long.csv").read_bytes()
    assert "local_monthly_long.csv" in r.headers["Content-Disposition"]
    assert client.get("/uploads/99/file").status_code == 404


def test_oversized_requests_are_refused_by_the_server(config, server_for):
    server = server_for(config)
    assert server.config["MAX_CONTENT_LENGTH"] == auth.MAX_CONTENT_LENGTH
    r = server.test_client().post("/auth/sign-in",
                                  data={"role": "x" * (auth.MAX_CONTENT_LENGTH + 10)})
    assert r.status_code == 413 and b"larger than the server accepts" in r.data
