"""Plain data of the office's sheets, of no one case: routines, follow-up, PIN slips."""

from __future__ import annotations

from dataclasses import dataclass

# Printed where the laptop's address for tablets would be, when it knew none on the network
# (an address of ""): 127.0.0.1 reaches only the laptop itself, never a tablet.
NO_ADDRESS = "Datorns adress i nätverket kunde inte läsas – fråga administratören"


@dataclass(frozen=True)
class RoutineContact:
    """A contact a routine calls, with every service-hour window: paper is read at any hour."""

    name: str
    phones: tuple[str, ...] = ()  # the main one first, e.g. ("033-616 12 10", "033-616 45 78")
    menu: str = ""  # the phone menu's path, e.g. "Välj 2, sedan 1 för vårdsystem"
    fax: str = ""
    email: str = ""
    # Each window as staff read it, e.g. "mån–fre 07:00–17:00"; none: answers at any hour.
    hours: tuple[str, ...] = ()
    # Who answers outside the hours (with their own hours and fallback); None without hours.
    fallback: RoutineContact | None = None
    # What to do outside the hours when no one answers then (instead of a fallback).
    after_hours: str = ""


@dataclass(frozen=True)
class RoutineScenarioData:
    """One outage scenario's routine, as the screen shows it but for every hour."""

    name: str
    position: str  # e.g. "Rutin 2 av 6": a binder page that came loose says where it goes
    still_works: tuple[str, ...]
    contacts: tuple[RoutineContact, ...]
    steps: tuple[str, ...]
    notifications: tuple[str, ...]
    follow_up: tuple[str, ...]
    # The external reviewer's routine: whom the reviewer calls in when the fault persists.
    escalation: RoutineContact | None = None


@dataclass(frozen=True)
class RoutineBinderData:
    """A site's outage routines for the downtime binder, and what every page of them says."""

    site: str
    printed_at: str
    printed_by: str
    # Which saved configuration the routines are from, e.g. "version 7, sparad 2026-01-10 09:12".
    config_version: str
    # The laptop's address for tablets when printed: the QR and the text under it; "" when it
    # knew none on the network (then NO_ADDRESS, and no QR).
    address: str
    scenarios: tuple[RoutineScenarioData, ...]
    # How the hours treat holidays, e.g. "Röda dagar räknas som söndag."; empty: not said.
    holiday_note: str = ""


@dataclass(frozen=True)
class FollowUpTable:
    """One part of an outage's follow-up: a heading over a table of plain strings."""

    title: str
    # Each column's header and its share of the width.
    columns: tuple[tuple[str, float], ...]
    rows: tuple[tuple[str, ...], ...]
    # Printed in place of a table without rows.
    empty: str = "Inga."


@dataclass(frozen=True)
class FollowUpData:
    """The follow-up of an outage for the RIS/PACS administrators; cases by their code only."""

    incident_label: str
    # With PAGE_FIELD where each page's number goes, as the incident list's.
    qr_payload: str
    title: str
    facts: tuple[tuple[str, str], ...]
    sections: tuple[FollowUpTable, ...]
    department: str = ""
    is_drill: bool = False
    # A running outage: the time its figures are from (they will change); "" once ended.
    provisional_as_of: str = ""
    printed_at: str = ""


@dataclass(frozen=True)
class PinSlip:
    """One new user's first login, cut out and handed to them."""

    name: str
    username: str
    pin: str


@dataclass(frozen=True)
class PinSlipsData:
    """The slips of users created together, and what every slip says of where to log in."""

    site: str
    # The laptop's address for tablets, e.g. "http://192.168.1.20:8080/"; "" when it knew none
    # on the network (then NO_ADDRESS, and no QR).
    address: str
    slips: tuple[PinSlip, ...]
