"""The restore command's question: what would go out of view, asked before it does."""

from __future__ import annotations

from pathlib import Path

import click

from .restore_compare import NotCompared, counted, describe, newer_work

# An empty answer is no (the default); an answer in neither list asks again.
_YES = ("j", "ja", "y", "yes")
_NO = ("", "n", "nej", "no")


def confirmed(question: str) -> bool:
    """Ask a yes/no question, default no; Swedish and English answers both count."""
    while True:
        try:
            answer = click.prompt(
                f"{question} [j/N]", default="", show_default=False, prompt_suffix=" "
            )
        except click.Abort:
            # No answer (end of input, Ctrl-C): nothing is replaced unasked.
            click.echo()
            return False
        answer = answer.strip().casefold()
        if answer in _YES or answer in _NO:
            return answer in _YES
        click.echo("Svara j (ja) eller n (nej).")


class RestoreQuestion:
    """restore()'s question: what the restore would take out of view, asked before it does.

    Remembers the newer work a confirmed restore went over, for the restore's audit row.
    """

    def __init__(self, backup: Path, zone: str, assume_yes: bool) -> None:
        self.backup = backup
        self.zone = zone
        self.assume_yes = assume_yes
        self.over: str = ""

    def __call__(self, live: Path) -> bool:
        try:
            work = newer_work(live, self.backup)
        except NotCompared as exc:
            click.echo(f"Den nuvarande databasen jämfördes inte med säkerhetskopian: {exc}.")
            return True
        if work is None:
            return True
        for line in describe(work, self.zone):
            click.echo(line)
        if not work.events and not work.drafts:
            # Only logins and reads since the backup: nothing done is undone, so not asked.
            self.over = f"över {counted(work.reads, 'nyare rad', 'nyare rader')} i åtkomstloggen"
            return True
        if not (self.assume_yes or confirmed("Återställa ändå?")):
            return False
        how = "--yes" if self.assume_yes else "bekräftat"
        events = counted(work.events, "nyare händelse", "nyare händelser")
        parts = [f"{events} i {counted(work.cases, 'ärende', 'ärenden')}"] if work.events else []
        if work.drafts:
            parts.append(f"{counted(work.drafts, 'utkast', 'utkast')} sparade sedan kopian")
        if work.reads:
            parts.append(f"{counted(work.reads, 'nyare rad', 'nyare rader')} i åtkomstloggen")
        self.over = f"över {' och '.join(parts)} ({how})"
        return True
