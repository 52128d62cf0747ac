"""App-factory fixtures: a fresh data dir and database per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from .build_cache import (
    share_migration_scripts,
    share_revision_maps,
    share_rule_parsing,
    share_url_builders,
)
from .dbsetup import make_test_app
from .factories import DEFAULT_PIN, DEMO_PIN, exam_data, make_user, referral_data

share_url_builders()
share_rule_parsing()
share_migration_scripts()
share_revision_maps()


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app, teardown = make_test_app(tmp_path, WTF_CSRF_ENABLED=False)
    yield app
    teardown()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def user_factory(app: Flask) -> Callable[..., Any]:
    """Create users: user_factory(role="radiologist", username="...")."""

    def factory(**kwargs: Any) -> Any:
        with app.app_context():
            return make_user(**kwargs)

    return factory


@pytest.fixture
def tablet_factory(app: Flask, user_factory: Callable[..., Any]) -> Callable[..., FlaskClient]:
    """Another device, logged in: tablet_factory("anna", role="admin"); the user is made when
    missing (pin= logs in with another PIN the user already has)."""

    def factory(
        username: str, *, role: str = "radiographer", pin: str = DEFAULT_PIN
    ) -> FlaskClient:
        user_factory(role=role, username=username)
        tablet = app.test_client()
        response = tablet.post("/login", data={"username": username, "secret": pin})
        assert response.status_code == 302, response.get_data(as_text=True)
        return tablet

    return factory


@pytest.fixture
def radiologist_id(user_factory: Callable[..., Any]) -> int:
    """A radiologist of the department, to name as the author of a paper report."""
    return int(user_factory(role="radiologist").id)


class AuthActions:
    def __init__(self, client: FlaskClient, factory: Callable[..., Any]) -> None:
        self._client = client
        self._factory = factory

    def login(self, role: str = "radiographer", username: str | None = None) -> Any:
        """Create a user of the role (once) and log in as them."""
        username = username or f"test-{role}"
        info = self._factory(role=role, username=username)
        response = self._client.post("/login", data={"username": username, "secret": DEFAULT_PIN})
        assert response.status_code == 302, response.get_data(as_text=True)
        return info

    def logout(self) -> Any:
        return self._client.post("/logout")


@pytest.fixture
def auth(client: FlaskClient, user_factory: Callable[..., Any]) -> AuthActions:
    return AuthActions(client, user_factory)


@pytest.fixture
def case_id(client: FlaskClient, auth: AuthActions) -> int:
    """A case with its exam documented, at the first site, in a new incident; nobody logged in."""
    auth.login("radiographer")
    client.post("/incidents/new", data={"scenario": "integration"})
    location = client.post("/cases/new", data=referral_data()).headers["Location"]
    client.post(location + "/exam", data=exam_data())
    auth.logout()
    return int(location.rsplit("/", 1)[-1])


@pytest.fixture
def demo(app: Flask, runner: FlaskCliRunner) -> Flask:
    """The app after `flask demo --cases 30 --pin DEMO_PIN`: a drill with cases in every state."""
    result = runner.invoke(args=["demo", "--cases", "30", "--pin", DEMO_PIN])
    assert result.exit_code == 0, result.output
    return app
