"""The restore command's question: what would go out of view, asked before it does."""

from __future__ import annotations

from pathlib import Path

import click

from .restore_compare import NotCompared, describe, newer_work

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


def restore_over(live: Path, backup: Path, zone: str, assume_yes: bool) -> bool:
    """Say what the restore would take out of view, and ask before it does (--yes: not asked)."""
    try:
        work = newer_work(live, backup)
    except NotCompared as exc:
        click.echo(f"Den nuvarande databasen jämfördes inte med säkerhetskopian: {exc}.")
        return True
    if work is None:
        return True
    for line in describe(work, zone):
        click.echo(line)
    return assume_yes or confirmed("Återställa ändå?")
