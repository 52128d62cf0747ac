"""The export command without --incident exports the latest real outage, never a drill started
after it, and says which incident it wrote."""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

from flask.testing import FlaskClient, FlaskCliRunner

from .factories import exam_data, referral_data


def _declare(client: FlaskClient, *, drill: bool, suffix: str, name: str) -> int:
    data = {"scenario": "integration"} | ({"is_drill": "y"} if drill else {})
    location = client.post("/incidents/new", data=data).headers["Location"]
    incident_id = int(location.rsplit("/", 1)[-1])
    client.post(f"/incidents/{incident_id}/select")
    case = client.post(
        "/cases/new", data=referral_data(key_suffix=suffix, patient_name=name)
    ).headers["Location"]
    client.post(case + "/exam", data=exam_data(key_suffix=suffix))
    return incident_id


def test_export_command_defaults_to_the_real_outage_not_a_later_drill(
    client: FlaskClient, auth, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    auth.login("admin")
    real = _declare(client, drill=False, suffix="r", name="Verklig Patient")
    _declare(client, drill=True, suffix="d", name="Övning Patient")
    target = tmp_path / "batch.csv"
    result = runner.invoke(args=["export-batch", "--format", "csv", "-o", str(target)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(target.read_text("utf-8-sig")), delimiter=";"))
    assert [r["patient namn"] for r in rows] == ["Verklig Patient"]
    assert f"driftstopp {real}" in result.output


def test_export_command_names_a_drill_as_a_drill(
    client: FlaskClient, auth, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    auth.login("admin")
    drill = _declare(client, drill=True, suffix="d", name="Övning Patient")
    target = tmp_path / "batch.csv"
    result = runner.invoke(
        args=["export-batch", "--incident", str(drill), "--format", "csv", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert "ÖVNING" in result.output


def test_export_command_says_an_incident_id_too_large_does_not_exist(
    client: FlaskClient, auth, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    # Beyond the database's integer range: SQLite refuses the query itself.
    target = tmp_path / "batch.csv"
    result = runner.invoke(
        args=["export-batch", "--incident", str(2**64), "--format", "csv", "-o", str(target)]
    )
    assert result.exit_code == 2, result.exc_info
    assert "Driftstoppet finns inte." in result.output
    assert not target.exists()


def test_export_command_flushes_the_file_to_the_disk_before_the_export_is_recorded(
    client: FlaskClient, auth, runner: FlaskCliRunner, tmp_path: Path, monkeypatch
) -> None:
    # The export is recorded as made, and --changed leaves its cases out next time: a power
    # cut that lost the unflushed file would leave them out of RIS.
    auth.login("admin")
    _declare(client, drill=False, suffix="r", name="Verklig Patient")
    target = tmp_path / "batch.csv"
    flushed: list[str] = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        flushed.append(os.readlink(f"/proc/self/fd/{fd}"))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    result = runner.invoke(args=["export-batch", "--format", "csv", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert any(Path(name).name.startswith("batch.csv") for name in flushed), flushed
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("batch")) == ["batch.csv"]
