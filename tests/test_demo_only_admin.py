"""The demo on a laptop nobody has set up yet: demo-admin becomes the only administrator and the
one-time setup page closes, so the summary says so and how to make the department's own."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskCliRunner

ONLY_ADMIN = "demo-admin är enhetens enda administratör"


def _demo(runner: FlaskCliRunner) -> str:
    result = runner.invoke(args=["demo", "--cases", "1"])
    assert result.exit_code == 0, result.output
    return result.output


def _advised_command(output: str) -> list[str]:
    line = next(s for s in output.splitlines() if "create-user" in s)
    words = shlex.split(line.strip())
    assert words[:4] == ["flask", "--app", "app", "create-user"], line
    return words[4:]


def test_demo_on_a_fresh_laptop_warns_that_demo_admin_is_the_only_admin(
    client: Any, runner: FlaskCliRunner
) -> None:
    output = _demo(runner)
    assert ONLY_ADMIN in output
    assert "/setup" in output
    # The warning is true: the setup page is gone.
    assert client.get("/setup").status_code == 404


def test_the_advised_command_makes_the_departments_admin_and_ends_the_warning(
    app: Flask, runner: FlaskCliRunner
) -> None:
    args = _advised_command(_demo(runner))
    assert "--role" in args and args[args.index("--role") + 1] == "admin"
    # The drill leader fills in the placeholders: a name and a PIN of their own.
    filled = ["anna.admin" if a == "NAMN" else "804613" if a == "PIN" else a for a in args]
    made = runner.invoke(args=["create-user", *filled])
    assert made.exit_code == 0, made.output
    response = app.test_client().post("/login", data={"username": "anna.admin", "secret": "804613"})
    assert response.status_code == 302
    assert ONLY_ADMIN not in _demo(runner)


def test_demo_beside_the_departments_own_admin_gives_no_warning(
    runner: FlaskCliRunner, user_factory: Callable[..., Any]
) -> None:
    user_factory(role="admin", username="anna")
    assert ONLY_ADMIN not in _demo(runner)


def test_a_deactivated_department_admin_does_not_count(
    app: Flask, runner: FlaskCliRunner, user_factory: Callable[..., Any]
) -> None:
    from webapp.extensions import db
    from webapp.models import User

    user_id = user_factory(role="admin", username="anna").id
    with app.app_context():
        db.session.get(User, user_id).is_active = False  # type: ignore[union-attr]
        db.session.commit()
    assert ONLY_ADMIN in _demo(runner)
