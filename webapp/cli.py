"""Flask commands: create-user and friends."""

from __future__ import annotations

import os
import sys

import click
from flask import Flask, current_app
from sqlalchemy import select

from .extensions import db
from .models import ROLES, Site

# The largest id a database integer holds (SQLite's and PostgreSQL's bigint).
MAX_ID = 2**63 - 1


def _ready(*, load_sites: bool = True) -> None:
    from .siteconfig import SiteConfigError
    from .startup import prepare
    from .storage import StorageError

    try:
        prepare(current_app._get_current_object(), load_sites=load_sites)  # type: ignore[attr-defined]
    except (StorageError, SiteConfigError) as exc:
        # As app.py says it: the file and the rule to mend, not a traceback.
        click.echo(f"Kan inte köra kommandot: {exc}", err=True)
        sys.exit(2)


def _sites_read() -> None:
    from .siteconfig import SiteConfigError
    from .startup import read_site_files

    try:
        read_site_files(current_app._get_current_object())  # type: ignore[attr-defined]
    except SiteConfigError as exc:
        click.echo(f"Kan inte köra kommandot: {exc}", err=True)
        sys.exit(2)


def _cases(n: int) -> str:
    return "1 ärende" if n == 1 else f"{n} ärenden"


def _check_demo_pin(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse a weak --pin before the demo makes anything, by the rules of every PIN."""
    from .auth.passwords import validate_secret

    problem = value is not None and validate_secret(value, "pin")
    if problem:
        raise click.BadParameter(problem)
    return value


def init_cli(app: Flask) -> None:
    """Register the commands on the app."""
    from .cli_messages import use_swedish

    # Before the commands are declared: click names a path type ("fil") when it is declared.
    use_swedish()

    @app.cli.command(
        "create-user", help="Skapa en användare (även den första administratören) från skalet."
    )
    @click.argument("username")
    @click.option("--role", type=click.Choice(ROLES), required=True, help="Roll")
    @click.option("--pin", default=None, help="PIN-kod, minst 6 siffror")
    @click.option("--password", default=None, help="Lösenord, minst 10 tecken")
    @click.option("--name", "display_name", default="", help="Visningsnamn")
    @click.option("--site", "site_code", default=None, help="Enhetskod (standard: första)")
    def create_user_command(
        username: str,
        role: str,
        pin: str | None,
        password: str | None,
        display_name: str,
        site_code: str | None,
    ) -> None:
        """Create a user (the first admin too) from the shell."""
        from .auth.accounts import create_user

        _ready()
        if bool(pin) == bool(password):
            click.echo("Ange antingen --pin eller --password.", err=True)
            sys.exit(2)
        # The user name is checked by create_user, as on the admin screen; the display name's
        # length by the form there, so here.
        if len(display_name.strip()) > 120:
            click.echo("Visningsnamnet får vara högst 120 tecken.", err=True)
            sys.exit(2)
        stmt = select(Site).order_by(Site.id)
        if site_code:
            stmt = stmt.where(Site.code == site_code)
        site = db.session.scalar(stmt)
        if site is None:
            codes = db.session.scalars(select(Site.code).order_by(Site.code)).all()
            # Most often the code of a site whose file was just added: say which ones exist.
            click.echo(
                f"Enheten {site_code} finns inte. Enheterna som finns: {', '.join(codes)}."
                if codes
                else "Ingen enhet finns.",
                err=True,
            )
            sys.exit(2)
        try:
            user = create_user(
                site_id=site.id,
                username=username,
                display_name=display_name or username,
                role=role,
                secret=pin or password or "",
                kind="pin" if pin else "password",
            )
        except ValueError as exc:
            click.echo(str(exc), err=True)
            sys.exit(2)
        click.echo(f"Användaren {user.username} ({role}) är skapad.")

    @app.cli.command(
        "demo", help="Skapa ett övningsdriftstopp med påhittade ärenden och demopersonal."
    )
    @click.option(
        "--cases",
        "case_count",
        type=click.IntRange(1, 1000),
        default=30,
        show_default=True,
        help="Antal ärenden",
    )
    @click.option("--seed", type=int, default=1, show_default=True, help="Samma frö, samma ärenden")
    @click.option(
        "--scenario",
        default=None,
        help="Scenario för övningen (utan det: exemplets om_ris, annars enhetens första)",
    )
    @click.option(
        "--pin",
        default=None,
        callback=_check_demo_pin,
        help="PIN-kod för demoanvändarna som skapas (utan den: en slumpad, som skrivs ut)",
    )
    def demo_command(case_count: int, seed: int, scenario: str | None, pin: str | None) -> None:
        """Create a drill incident with fictional cases and demo staff."""
        from .demo import format_summary, run_demo
        from .incidents.services import IncidentError

        _ready()
        try:
            result = run_demo(cases=case_count, seed=seed, scenario=scenario, pin=pin)
        except IncidentError as exc:
            click.echo(str(exc), err=True)
            sys.exit(2)
        click.echo(format_summary(result))

    @app.cli.command("export-batch", help="Skriv ett driftstopps avstämningsunderlag till en fil.")
    @click.option(
        "--incident",
        "incident_id",
        type=int,
        default=None,
        help="Driftstoppets id (standard: det senaste)",
    )
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["csv", "json", "pdf", "fhir"]),
        required=True,
        help="Filformat",
    )
    @click.option(
        "-o", "--output", type=click.Path(dir_okay=False), required=True, help="Fil att skriva"
    )
    @click.option(
        "--changed", is_flag=True, help="Bara ärenden ändrade sedan förra exporten i samma format"
    )
    @click.option(
        "--base-url",
        default="http://localhost:8080",
        help="Adress som dokumentlänkarna i JSON pekar på",
    )
    def export_batch_command(
        incident_id: int | None, fmt: str, output: str, changed: bool, base_url: str
    ) -> None:
        """Write an incident's reconciliation batch to a file."""
        from pathlib import Path

        from .catchup.export_views import (
            MSG_SIGNED_TEXT_MISSING,
            document_urls_for,
            pdf_renderer_for,
            signed_text_missing_code,
        )
        from .catchup.exporting import NothingChanged, export_batch
        from .models import Incident
        from .reporting.signed import SignedTextMissing
        from .sites import site_config
        from .web import local_time

        _ready()
        # By default the latest real outage: a drill started during the catch-up is newer, and
        # its fictional patients must not reach RIS. A drill is exported only when named.
        stmt = (
            select(Incident)
            .where(Incident.is_drill.is_(False))
            .order_by(Incident.started_at.desc())
            .limit(1)
        )
        if incident_id is not None:
            stmt = select(Incident).where(Incident.id == incident_id)
        # An id beyond the database's integer range names no incident (and SQLite would refuse
        # the query with a traceback instead of saying so).
        in_range = incident_id is None or 0 < incident_id <= MAX_ID
        incident = db.session.scalar(stmt) if in_range else None
        if incident is None:
            click.echo(
                "Driftstoppet finns inte."
                if incident_id is not None
                else "Inget verkligt driftstopp finns. Ange --incident för en övning.",
                err=True,
            )
            sys.exit(2)
        # Said first, so whoever runs it sees which outage (and site) the file holds.
        click.echo(
            f"{'ÖVNING: ' if incident.is_drill else ''}driftstopp {incident.id}, "
            f"{incident.site.code}, {incident.title}, startat {local_time(incident.started_at)}"
        )
        base = base_url.rstrip("/")
        target = Path(output)

        def write(content: bytes, _filename: str) -> None:
            # Flushed before the export is recorded: --changed leaves its cases out next time.
            # Into the folder as it is: one made here would hide a stick not plugged in.
            tmp = target.with_name(target.name + ".tmp")
            try:
                with tmp.open("wb") as handle:
                    handle.write(content)
                    handle.flush()
                    os.fsync(handle.fileno())
                tmp.replace(target)
            except OSError:
                # A full disk's half-written file would only take more room.
                tmp.unlink(missing_ok=True)
                raise

        try:
            result = export_batch(
                incident=incident,
                config=site_config(incident.site),
                fmt=fmt,
                user=None,
                changed_only=changed,
                document_urls=document_urls_for(base),
                pdf_renderer=pdf_renderer_for(incident.id),
                save=write,
            )
        except NothingChanged as exc:
            # The file from the previous run is left as it was: it may not be imported yet.
            click.echo(
                "Inget ärende har ändrats sedan förra exporten i formatet "
                f"{fmt} ({local_time(exc.previous)}). Ingen fil skrevs."
            )
            return
        except OSError as exc:
            click.echo(
                f"Filen {target} kunde inte skrivas: {exc}. Ingen export registrerades.", err=True
            )
            sys.exit(2)
        except SignedTextMissing as exc:
            # Stopped before any file is written: the previous run's file is left as it was.
            click.echo(MSG_SIGNED_TEXT_MISSING % {"code": signed_text_missing_code(exc)}, err=True)
            sys.exit(2)
        if result.previous is not None:
            n = result.case_count
            changed_cases = "1 ärende ändrat" if n == 1 else f"{n} ärenden ändrade"
            written = "skrivet" if n == 1 else "skrivna"
            click.echo(
                f"{changed_cases} sedan förra exporten i formatet {fmt} "
                f"({local_time(result.previous)}) {written} till {target}."
            )
        elif changed:
            click.echo(
                f"Ingen tidigare export i formatet {fmt}: hela avstämningen "
                f"({_cases(result.case_count)}) skrevs till {target}."
            )
        else:
            written = (
                "1 ärende skrivet"
                if result.case_count == 1
                else f"{result.case_count} ärenden skrivna"
            )
            click.echo(f"{written} till {target} ({fmt}).")

    @app.cli.command("backup", help="Ta en konsistent säkerhetskopia av databasen nu.")
    @click.option(
        "--to",
        "target",
        type=click.Path(file_okay=False),
        default=None,
        help="Mapp (t.ex. USB-minne); standard: inställningen BACKUP_DIR",
    )
    def backup_command(target: str | None) -> None:
        """Take a consistent backup of the database now."""
        from .cli_backup import take_backup

        _ready()
        take_backup(target)

    @app.cli.command(
        "restore",
        help="Återställ databasen från en säkerhetskopia (stoppa servern först).",
    )
    @click.argument("backup_file", type=click.Path(dir_okay=False))
    @click.option(
        "--yes",
        "assume_yes",
        is_flag=True,
        help="Fråga inte när den nuvarande databasen har nyare arbete (för skript).",
    )
    def restore_command(backup_file: str, assume_yes: bool) -> None:
        """Restore the database from a backup file (stop the server first)."""
        from pathlib import Path

        from .backup_errors import BackupError
        from .backup_restore import RestoreDeclined, log_restore, restore, set_example_file_aside
        from .cli_restore import RestoreQuestion
        from .site_files import SiteFiles

        db.engine.dispose()
        question = RestoreQuestion(Path(backup_file), current_app.config["TIMEZONE"], assume_yes)
        try:
            aside = restore(
                Path(backup_file),
                current_app.config["SQLALCHEMY_DATABASE_URI"],
                Path(current_app.extensions["migrate"].directory),
                ask=question,
            )
        except RestoreDeclined as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
        except BackupError as exc:
            click.echo(str(exc), err=True)
            sys.exit(2)
        # Said first: should the start-up checks below stop, the restore is still done.
        if aside is None:
            click.echo(f"Återställd från {backup_file}.")
        else:
            click.echo(
                f"Återställd från {backup_file}. Den tidigare databasen sparades som {aside}."
            )
        # An older backup's schema is brought up to date before the restore is logged in it; the
        # site files are read only after: one the admin must mend stops the command, and the
        # restored database must hold the restore, its logins ended, before it is ever served.
        _ready(load_sites=False)
        log_restore(Path(backup_file), aside, question.over)
        example = set_example_file_aside(SiteFiles.from_config(current_app.config))
        if example is not None:
            # A fresh laptop's first start wrote it; the restored sites get their own files.
            click.echo(f"Exempelenhetens fil lades åt sidan som {example}.")
        _sites_read()
