"""The command line's own usage errors are in Swedish, with click's exit codes unchanged."""

from __future__ import annotations

import inspect

import click
import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import FlaskGroup
from flask.testing import FlaskCliRunner

from webapp import cli_messages

# click's words that must not reach a Swedish administrator's terminal.
ENGLISH = ("Error", "Usage", "Missing", "Invalid value", "No such", "Try ", "is not", "range")
# click exits with 2 on a usage error, as `flask` always did here: scripts check for it.
USAGE_ERROR = 2


def _swedish_usage_error(output: str) -> None:
    assert "Användning: " in output
    assert [word for word in ENGLISH if word in output] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create-user", "bo", "--pin", "583920"], "Fel: Ange alternativet '--role'."),
        (["create-user", "--role", "admin", "--pin", "583920"], "Ange argumentet 'USERNAME'."),
        (["restore"], "Fel: Ange argumentet 'BACKUP_FILE'."),
    ],
)
def test_a_missing_option_or_argument_is_named_in_swedish(
    runner: FlaskCliRunner, args: list[str], message: str
) -> None:
    result = runner.invoke(args=args)
    assert result.exit_code == USAGE_ERROR
    assert message in result.output
    _swedish_usage_error(result.output)


def test_a_missing_choice_lists_the_choices_in_swedish(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["export-batch", "-o", "batch.csv"])
    assert result.exit_code == USAGE_ERROR
    assert "Fel: Ange alternativet '--format'. Välj bland:" in result.output
    _swedish_usage_error(result.output)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["create-user", "bo", "--role", "chef", "--pin", "583920"],
            "Ogiltigt värde för '--role': 'chef' är inte något av 'radiographer', ",
        ),
        (["demo", "--cases", "0"], "Ogiltigt värde för '--cases': 0 ligger utanför intervallet"),
        (
            ["export-batch", "--incident", "tre", "--format", "csv", "-o", "batch.csv"],
            "Fel: Ogiltigt värde för '--incident': 'tre' är inte ett giltigt tal.",
        ),
    ],
)
def test_a_bad_value_is_refused_in_swedish(
    runner: FlaskCliRunner, args: list[str], message: str
) -> None:
    result = runner.invoke(args=args)
    assert result.exit_code == USAGE_ERROR
    assert message in result.output
    _swedish_usage_error(result.output)


def test_an_unknown_option_is_refused_in_swedish(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["backup", "--till", "/media/usb"])
    assert result.exit_code == USAGE_ERROR
    assert "Fel: Alternativet '--till' finns inte." in result.output
    _swedish_usage_error(result.output)


def test_an_extra_argument_is_refused_in_swedish(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["backup", "/media/usb"])
    assert result.exit_code == USAGE_ERROR
    assert "Fel: Oväntat extra argument (/media/usb)" in result.output
    _swedish_usage_error(result.output)


def test_an_unknown_command_is_refused_in_swedish(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["skapa-användare", "bo"])
    assert result.exit_code == USAGE_ERROR
    assert "Fel: Kommandot 'skapa-användare' finns inte." in result.output
    _swedish_usage_error(result.output)


def test_the_flask_command_says_so_in_swedish_too(app: Flask) -> None:
    """As `flask --app app ...` runs: the flask command's own group loads the app first."""
    flask_command = FlaskGroup(create_app=lambda: app, load_dotenv=False)
    runner = CliRunner()
    unknown = runner.invoke(flask_command, ["exportera", "-o", "x.csv"], prog_name="flask")
    assert unknown.exit_code == USAGE_ERROR
    assert "Fel: Kommandot 'exportera' finns inte." in unknown.output
    assert "Skriv 'flask --help' för hjälp." in unknown.output
    _swedish_usage_error(unknown.output)
    missing = runner.invoke(flask_command, ["create-user", "bo"], prog_name="flask")
    assert missing.exit_code == USAGE_ERROR
    assert "Användning: flask create-user [OPTIONS] USERNAME" in missing.output
    assert "Fel: Ange alternativet '--role'." in missing.output


def test_help_is_headed_in_swedish(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["create-user", "--help"])
    assert result.exit_code == 0
    assert "Alternativ:" in result.output
    assert "Visa den här hjälpen och avsluta." in result.output


def test_every_translated_message_is_one_click_still_shows() -> None:
    """A click release that rewords a message would leave it in English: found here first."""
    source = "\n".join(inspect.getsource(module) for module in cli_messages.click_modules())
    for message in [*cli_messages.SWEDISH, *(m for pair in cli_messages.PLURALS for m in pair)]:
        assert repr(message)[1:-1] in source or message in source, message
    assert click.UsageError.exit_code == USAGE_ERROR


@pytest.mark.parametrize("command", ["create-user", "demo", "export-batch", "backup", "restore"])
def test_each_commands_help_is_in_swedish(runner: FlaskCliRunner, command: str) -> None:
    result = runner.invoke(args=[command, "--help"])
    assert result.exit_code == 0
    # The command's own line and every option it declares are described in Swedish.
    assert "Användning:" in result.output
    described = [line for line in result.output.splitlines() if line.startswith("  -")]
    assert described, result.output
    english = ("Create", "Write", "Take", "Restore", "Show this")
    assert not any(word in result.output for word in english), result.output
    assert all(len(line.split(None, 1)) == 2 for line in described), result.output


def test_the_command_list_describes_the_commands_in_swedish(runner: FlaskCliRunner) -> None:
    listing = runner.invoke(args=["--help"]).output
    assert "Skapa en användare" in listing
    assert "Ta en konsistent säkerhetskopia" in listing
