"""The upload feature's Flask server fixture, for the example extract's download."""
from tests.upload.conftest import dash_app, server_for  # noqa: F401 - fixtures
