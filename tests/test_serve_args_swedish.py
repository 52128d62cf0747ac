"""`python app.py` gives its usage, help and errors in Swedish, with argparse's exit codes."""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from webapp.config import PROJECT_ROOT
from webapp.serve_args import parse_serve_args

# argparse's words that must not reach a Swedish administrator's terminal ("argument" is Swedish
# too).
ENGLISH = ("usage", "error", "options", "expected", "invalid", "unrecognized", "show this help")
# argparse exits with 2 on a usage error and 0 after the help, as `python app.py` always did.
USAGE_ERROR = 2


def _refused(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    with pytest.raises(SystemExit) as exited:
        parse_serve_args(argv)
    assert exited.value.code == USAGE_ERROR
    err = capsys.readouterr().err
    assert err.startswith("Användning: ")
    assert [word for word in ENGLISH if word in err.lower()] == []
    return err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--port", "åtta"], "fel: --port: 'åtta' är inte ett heltal"),
        (["--threads", "8.5"], "fel: --threads: '8.5' är inte ett heltal"),
        (["--port"], "fel: --port: ett värde krävs"),
        (["--okänd", "1"], "fel: okända argument: --okänd 1"),
        (["--h"], "fel: alternativet --h är tvetydigt, det kan vara --help, --host"),
        (["--help=ja"], "fel: -h/--help: tar inget värde ('ja')"),
        (["--port", "70000"], "fel: --port: 70000 ligger inte mellan 1 och 65535"),
        (["--port", "0"], "fel: --port: 0 ligger inte mellan 1 och 65535"),
        (["--threads", "0"], "fel: --threads: 0 ligger inte mellan 1 och 64"),
    ],
    ids=[
        "port",
        "threads",
        "no-value",
        "unknown",
        "ambiguous",
        "flag-value",
        "port-too-high",
        "port-zero",
        "no-threads",
    ],
)
def test_a_usage_error_is_said_in_swedish_and_exits_with_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert message in _refused(capsys, argv)


def test_the_help_is_in_swedish_and_exits_with_0(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        parse_serve_args(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("Användning: ")
    assert "Alternativ:" in out and "Visa den här hjälpen och avsluta." in out
    for option in ("--host ADRESS", "--port PORT", "--data-dir MAPP", "--threads ANTAL"):
        assert option in out
    assert "RESERVRUTIN_DATA_DIR" in out
    assert [word for word in ENGLISH if word in out.lower()] == []


def test_the_options_are_read_as_before() -> None:
    args = parse_serve_args(["--host", "127.0.0.1", "--port", " 8081 ", "--data-dir", "d"])
    assert (args.host, args.port, args.data_dir, args.threads) == (
        "127.0.0.1",
        8081,
        Path("d"),
        8,
    )
    defaults = parse_serve_args([])
    assert (defaults.host, defaults.port, defaults.data_dir) == ("0.0.0.0", 8080, None)


def test_other_parsers_in_the_process_keep_argparses_own_messages(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _refused(capsys, ["--port", "x"])
    other = argparse.ArgumentParser(prog="annat")
    assert other.format_usage().startswith("usage: annat")


def _app_py(*argv: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "app.py"), *argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=timeout,
        check=False,
    )


def test_app_py_refuses_a_bad_port_in_swedish_with_exit_code_2() -> None:
    result = _app_py("--port", "åtta")
    assert result.returncode == USAGE_ERROR
    assert result.stderr.startswith("Användning: app.py ")
    assert "app.py: fel: --port: 'åtta' är inte ett heltal" in result.stderr
    assert result.stdout == ""


def test_app_py_help_is_swedish_and_exits_with_0() -> None:
    result = _app_py("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("Användning: app.py ")
    assert "Visa den här hjälpen och avsluta." in result.stdout


def test_app_py_on_a_taken_port_says_so_in_swedish_and_never_says_it_runs(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = _app_py(
            "--host", "127.0.0.1", "--port", str(port), "--data-dir", str(tmp_path / "data")
        )
    assert result.returncode == USAGE_ERROR
    assert f"Kan inte starta: porten {port} används redan" in result.stderr
    assert "Traceback" not in result.stderr
    assert "är igång" not in result.stdout


def test_app_py_on_an_address_not_of_this_machine_says_so_in_swedish(tmp_path: Path) -> None:
    # 192.0.2.0/24 is reserved for documentation: no machine has it.
    result = _app_py("--host", "192.0.2.1", "--port", "8099", "--data-dir", str(tmp_path / "data"))
    assert result.returncode == USAGE_ERROR
    assert "Kan inte starta: adressen 192.0.2.1 hör inte till den här datorn" in result.stderr
    assert "är igång" not in result.stdout


def test_app_py_with_a_file_where_its_data_dir_should_be_says_so_in_swedish(
    tmp_path: Path,
) -> None:
    in_the_way = tmp_path / "data"
    in_the_way.write_text("inte en mapp", encoding="utf-8")
    result = _app_py("--port", "8099", "--data-dir", str(in_the_way / "reservrutin"))
    assert result.returncode == USAGE_ERROR
    assert f"Kan inte starta: Datamappen {in_the_way / 'reservrutin'} kan inte skapas" in (
        result.stderr
    )
    assert "en fil står där en mapp ska vara" in result.stderr
    assert "Traceback" not in result.stderr
    assert "är igång" not in result.stdout


def test_app_py_with_a_setting_out_of_range_says_so_in_swedish(tmp_path: Path) -> None:
    env = os.environ | {"RESERVRUTIN_BACKUP_KEEP": "0"}
    result = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "app.py"), "--data-dir", str(tmp_path / "d")],
        capture_output=True,
        text=True,
        env=env,
        cwd=PROJECT_ROOT,
        timeout=60,
        check=False,
    )
    assert result.returncode == USAGE_ERROR
    assert "Kan inte starta: RESERVRUTIN_BACKUP_KEEP ska vara ett heltal, minst 1" in result.stderr
    assert "Traceback" not in result.stderr
