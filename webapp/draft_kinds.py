"""The forms that autosave as drafts: what each is called, and the page that continues it.

One table for the draft API, the drafts list and the closing check, so a form added here is
stored, listed, continued and counted at the end of an incident alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import url_for

from .access import CLINICAL

# The catch-up's staff (catchup.STAFF, which cannot be imported here: its package's views import
# this table); test_drafts_roles holds the two alike.
_CATCHUP_STAFF = ("secretary", "admin")
# The follow-up's readers (followup.views.FOLLOWERS, which imports this table's users).
_FOLLOWERS = ("secretary", "admin")
# The hidden field of a blank's form that carries the blank's code into its draft.
SHEET_FIELD = "blank_code"


@dataclass(frozen=True)
class DraftKind:
    """A form that autosaves: its name in lists, and the page (endpoint) that continues it."""

    label: str
    endpoint: str
    # The view argument that names the draft's case; None for a form begun without a case.
    case_arg: str | None = None
    # Who may open that page (the roles its view allows).
    roles: tuple[str, ...] = CLINICAL
    # The view argument that names the binder blank (or the record, such as a transfer) the
    # form is typed from; None if none. Its draft holds it in the hidden field sheet_field.
    sheet_arg: str | None = None
    sheet_field: str = SHEET_FIELD
    # The form class ("package.module:Class" under webapp): a draft's text is read out under
    # its fields' own labels.
    form: str = ""
    # Whether the form can no longer be sent once its incident has ended (its case's, or the
    # one it was opened in): RIS holds everything from then on. A transfer needs no incident.
    ends_with_incident: bool = True
    # Whether the form is one of a cancelled case (undoing the cancellation, the notice to its
    # referrer): its draft goes on while the case stays cancelled and is moot once it is
    # restored, where every other form's draft is moot while its case is cancelled.
    of_cancelled_case: bool = False
    # Whether the form is sent alike whether its case is cancelled or not (a move to another
    # incident): its draft is never moot by the case's status.
    of_any_case: bool = False
    # Whether the form is refused once its case is reconciled and says nothing RIS lacks then (a
    # waiver: not to key what is keyed): its draft neither holds the close nor comes too late.
    # Not a cancel: typed for a case since keyed, it may name a duplicate now in RIS.
    until_reconciled: bool = False


_REFERRAL = "cases.forms:ReferralForm"
_REPORTING = "reporting.forms:"
_ROUTINES = "routines.forms:"
DRAFT_KINDS: dict[str, DraftKind] = {
    "referral": DraftKind("Remiss", "cases.new", form=_REFERRAL),
    # Continued under the sheet's own code, which its QR code names, never under a new one.
    "blank_referral": DraftKind(
        "Remiss från blankett", "blanks.open_blank", sheet_arg="code", form=_REFERRAL
    ),
    "referral_edit": DraftKind(
        "Ändrad remiss", "cases.edit_referral", "case_id", form="cases.forms:ReferralEditForm"
    ),
    "identity": DraftKind(
        "Identitetsrättelse", "cases.identity", "case_id", form="cases.patient_forms:IdentityForm"
    ),
    "exam": DraftKind("Dokumentation", "cases.exam", "case_id", form="cases.exam_forms:ExamForm"),
    "report": DraftKind(
        "Utlåtande", "reporting.screen", "case_id", ("radiologist",), form=_REPORTING + "ReportForm"
    ),
    # Continued on the report screen's addendum form, not in its editor (the report is locked).
    "addendum": DraftKind(
        "Tillägg",
        "reporting.addendum",
        "case_id",
        ("radiologist",),
        form=_REPORTING + "AddendumForm",
    ),
    "fax_report": DraftKind(
        "Faxat utlåtande",
        "reporting.fax",
        "case_id",
        ("radiologist", "secretary"),
        form="reporting.keyed_forms:FaxReportForm",
    ),
    "paper_report": DraftKind(
        "Utlåtande från papper",
        "reporting.paper",
        "case_id",
        ("radiologist", "secretary"),
        form="reporting.keyed_forms:PaperReportForm",
    ),
    "reviewer_report": DraftKind(
        "Svar från extern granskare",
        "routines.reviewer_receive",
        form=_ROUTINES + "ReceiveReportForm",
    ),
    "reviewer_verbal": DraftKind(
        "Muntligt svar från granskare",
        "routines.reviewer_case",
        "case_id",
        form=_ROUTINES + "VerbalAnswerForm",
    ),
    "transfer": DraftKind(
        "Bildöverföring",
        "routines.transfer_new",
        form="routines.transfer_forms:TransferForm",
        ends_with_incident=False,
    ),
    # A try logged on a transfer: continued on that transfer's page (its id in the draft, as a
    # blank's code is), never another's, where it would log the try on the wrong images. Filed
    # per site and still sent after the end, as the transfer's own form is.
    "transfer_attempt": DraftKind(
        "Försök vid bildöverföring",
        "routines.transfer_show",
        sheet_arg="transfer_id",
        sheet_field="transfer_id",
        form="routines.transfer_forms:AttemptForm",
        ends_with_incident=False,
    ),
    # The short forms of a case. A cancel is refused once the case's incident has ended (RIS
    # holds the case then), so one typed and never sent holds the close: someone meant the case
    # not to go into RIS, and that is decided before the end, not lost by it. Once the case is
    # cancelled (from another tablet) its draft no longer holds it, as no draft of such a case
    # does (close_drafts).
    "cancel": DraftKind(
        "Makulering", "cases.show", "case_id", form="cases.notice_forms:CancelForm"
    ),
    # The reason a case is moved to another incident (cases/moving.py): refused once its
    # incident has ended, and a decision not yet sent (a real patient left in a drill), so it
    # holds that incident's close as a cancel's reason does.
    # A cancelled case is moved as a live one is (its page draws the form, the service takes it).
    "move": DraftKind(
        "Flytt till annat driftstopp",
        "cases.show",
        "case_id",
        form="cases.move_forms:MoveForm",
        of_any_case=True,
    ),
    # The catch-up is closed with the incident: a waiver's reason typed and never sent holds the
    # close as a cancel's does (the case would otherwise go on as one to key into RIS).
    "waiver": DraftKind(
        "Undantag från efterregistrering",
        "catchup.case",
        "case_id",
        _CATCHUP_STAFF,
        form="catchup.forms:WaiveForm",
        until_reconciled=True,
    ),
    # Images are released after the outage too (filed under the case's incident or none): like a
    # transfer's, its form is still sent after the end, so it neither holds the close nor is a
    # late draft.
    "release": DraftKind(
        "Utlämnande av bilder",
        "routines.release_new",
        "case_id",
        form="routines.release_forms:ReleaseForm",
        ends_with_incident=False,
    ),
    # The reason a cancellation is undone: refused once the incident has ended (RIS holds the
    # case then), and a real decision, that the case goes into RIS after all. One typed and never
    # sent holds the close as a cancel's reason does, while the case is still cancelled; once it
    # is restored (from another tablet) the draft is moot.
    "restore": DraftKind(
        "Ångrad makulering",
        "cases.show",
        "case_id",
        form="cases.notice_forms:RestoreForm",
        of_cancelled_case=True,
    ),
    # What the referrer of a cancelled case was told: recorded after the end too (the fax went
    # out during it). A notice not logged is listed as work left on the batch page
    # (cases.cancel_notice.unnotified_cases), never a hold on the close; its note is kept, not a
    # decision the close would lose.
    "cancel_notice": DraftKind(
        "Besked om makulering",
        "cases.show",
        "case_id",
        form="cases.notice_forms:CancelNoticeForm",
        ends_with_incident=False,
        of_cancelled_case=True,
    ),
    # The report screen's instruction to the radiographer and the reason of a priority change:
    # continued on the screen (screen_page.side_forms), beside the editor's own draft.
    "protocol": DraftKind(
        "Instruktion till röntgensjuksköterskan",
        "reporting.screen",
        "case_id",
        ("radiologist",),
        form=_REPORTING + "ProtocolForm",
    ),
    "priority": DraftKind(
        "Ändrad prioritet",
        "reporting.screen",
        "case_id",
        ("radiologist",),
        form=_REPORTING + "PriorityForm",
    ),
    # The call to the referrer about an urgent finding: logged after the end too (a call made is
    # recorded then, straight into RIS), and the call not logged is work left by itself (the
    # catch-up's urgent_call). Its draft, like the restore call's, holds nothing more.
    "urgent_call": DraftKind(
        "Samtal om akut fynd",
        "reporting.call",
        "case_id",
        ("radiologist", "secretary"),
        form=_REPORTING + "CallForm",
        ends_with_incident=False,
    ),
    # The deviation report's number on an outage's follow-up: continued on that incident's
    # follow-up only (its id in the draft, as a blank's code is). Recorded after the close, so
    # its draft neither holds the close nor is a late one.
    "deviation": DraftKind(
        "Avvikelsenummer",
        "followup.show",
        roles=_FOLLOWERS,
        sheet_arg="incident_id",
        sheet_field="incident_id",
        form="followup.forms:DeviationForm",
        ends_with_incident=False,
    ),
    # A note in an outage's log (incidents.note): continued on that incident's page only (its
    # id in the draft, as the deviation number's is), never another's, where it would be logged
    # in the wrong outage. Anyone may write one (incidents.note is any_role: CLINICAL is every
    # role). A note is refused once the incident has ended (NOTE_AFTER_END), so one typed and
    # never sent holds the close, as a cancel's reason does: it is something someone meant to
    # log during the outage, decided before the end and not lost by it.
    "incident_note": DraftKind(
        "Anteckning i loggen",
        "incidents.show",
        sheet_arg="incident_id",
        sheet_field="incident_id",
        form="incidents.forms:NoteForm",
    ),
    # The call to the referrer of a restored case: logged after the end too (the referrer still
    # waits to hear), and the call not logged holds the close by itself (restore_call_rule). Its
    # draft does not hold it too.
    "restore_call": DraftKind(
        "Samtal om ångrad makulering",
        "cases.show",
        "case_id",
        form="reporting.forms:CallForm",
        ends_with_incident=False,
    ),
}
KIND_LABELS = {key: kind.label for key, kind in DRAFT_KINDS.items()}
# The kinds whose form is closed by its incident's end (a transfer's or a release's is not).
ENDING_KINDS = tuple(key for key, kind in DRAFT_KINDS.items() if kind.ends_with_incident)
# The kinds whose form writes into the outage's own log, nothing keyed into RIS: one that came
# after the end missed the log (which takes no note then) and is passed on by hand instead.
LOG_KINDS = ("incident_note",)
# The kinds whose form is of a cancelled case (DraftKind.of_cancelled_case).
CANCELLED_CASE_KINDS = tuple(key for key, kind in DRAFT_KINDS.items() if kind.of_cancelled_case)
# The kinds sent whatever their case's status (DraftKind.of_any_case).
ANY_CASE_KINDS = tuple(key for key, kind in DRAFT_KINDS.items() if kind.of_any_case)
# The kinds refused once their case is reconciled (DraftKind.until_reconciled).
UNTIL_RECONCILED_KINDS = tuple(key for key, kind in DRAFT_KINDS.items() if kind.until_reconciled)
# The sheets that are a record's id (a transfer's, an incident's): digits only, or no page
# continues them.
_ID_FIELDS = ("transfer_id", "incident_id")


def sheet_code(kind_key: str, data: Any) -> str:
    """The binder blank's code a draft is typed under ("" for a form of no blank)."""
    kind = DRAFT_KINDS.get(kind_key)
    if kind is None or kind.sheet_arg is None or not isinstance(data, dict):
        return ""
    code = data.get(kind.sheet_field)
    if not isinstance(code, str):
        return ""
    # Typed by a tablet: a record's id that is no number links to no page (nor a server error).
    if kind.sheet_field in _ID_FIELDS and not (code.isascii() and code.isdigit()):
        return ""
    return code


def continue_url(
    kind_key: str, form_key: str, case_id: int | None, role: str, sheet: str = ""
) -> str:
    """The page that continues a draft, if a user of this role may open it ("" if not)."""
    kind = DRAFT_KINDS.get(kind_key)
    if kind is None or role not in kind.roles:
        return ""
    if kind.sheet_arg is not None:
        if not sheet:
            return ""
        sheet_args: dict[str, Any] = {"draft": form_key, kind.sheet_arg: sheet}
        return url_for(kind.endpoint, **sheet_args)
    if kind.case_arg is None:
        return url_for(kind.endpoint, draft=form_key)
    if case_id is None:
        return ""
    args: dict[str, Any] = {"draft": form_key, kind.case_arg: case_id}
    return url_for(kind.endpoint, **args)


def is_moot(kind_key: str, case_status: str) -> bool:
    """Whether a draft's form cannot be sent for its case as the case now is: a form of a live
    case while it is cancelled, or a form of a cancelled case once it is restored."""
    if kind_key in ANY_CASE_KINDS:
        return False
    return (case_status == "cancelled") != (kind_key in CANCELLED_CASE_KINDS)


def is_past_reconciled(kind_key: str, case_status: str) -> bool:
    """Whether a draft's form is refused because its case is reconciled (a waiver of a case
    keyed and checked, or waived): it neither holds the close nor comes too late."""
    return case_status == "closed" and kind_key in UNTIL_RECONCILED_KINDS
