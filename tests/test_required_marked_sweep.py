"""Every form of every page each role opens, sent as a browser sends it with nothing typed.

A field the form then refuses as missing must be marked so before anything is typed: its star
beside the label and its required attribute (read out by a screen reader). Without them staff
in a hurry learn only from the refusal, after the tap. A sweep, so a form added later is held
to it too.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from .dbsetup import make_test_app
from .e2e.a11y_support import USERS, pages_for, seed_drill
from .factories import DEMO_PIN

Attrs = dict[str, str | None]

# Fields one of two of which is asked for: neither is required alone, and the form's hint says
# which two (by endpoint, the field's id).
EITHER_OR = {
    # A personnummer with its name, or a reserve number (an unidentified patient).
    ("cases.new", "personal_number"),
    ("cases.new", "patient_name"),
    ("blanks.open_blank", "personal_number"),
    ("blanks.open_blank", "patient_name"),
    ("cases.identity", "personal_number"),
    ("cases.identity", "patient_name"),
    # The exam and the patient's ID, or the code of a case in the app.
    ("routines.transfer_new", "exam_text"),
    ("routines.transfer_new", "patient_ref"),
    # A radiologist of the list, or the name of one who is not in it.
    ("reporting.paper", "author_id"),
}
# Not a missing field: an empty instruction removes the one written, and there is none.
NOT_MISSING = {("reporting.screen", "protocol"), ("reporting.addendum", "protocol")}


class _Forms(HTMLParser):
    """The page's POST forms: where each goes, what a browser sends of it empty, its fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.current: dict | None = None
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found: Attrs = dict(attrs)
        form = self.current
        if tag == "form" and (found.get("method") or "").lower() == "post":
            self.current = {"action": found.get("action"), "sent": {}, "fields": {}}
            self.forms.append(self.current)
        elif form is None:
            return
        elif tag == "input" and found.get("type") == "hidden" and found.get("name"):
            form["sent"][found["name"]] = found.get("value") or ""
        elif tag in ("input", "textarea", "select") and found.get("type") not in (
            "submit",
            "button",
            "hidden",
            "checkbox",
            "radio",
        ):
            form["fields"][found.get("id") or found.get("name")] = found
            self.select = str(found.get("name")) if tag == "select" else None
        elif tag == "option" and self.select:
            # A select left at its first option (the form as drawn empty) sends that one.
            form["sent"].setdefault(self.select, found.get("value") or "")
        elif tag == "button" and found.get("name") and (found.get("type") or "submit") == "submit":
            form["sent"].setdefault(found["name"], found.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def _refused_empty(tmp_path: Path) -> tuple[set[str], list[str]]:
    """Each field refused when its form is sent empty ("endpoint id"), and those unmarked."""
    app, teardown = make_test_app(tmp_path, WTF_CSRF_ENABLED=False)
    drill = seed_drill(app)
    refused_all: set[str] = set()
    out: list[str] = []
    tried: set[tuple[str, str | None, tuple[str, ...]]] = set()
    for role, username in USERS.items():
        client = app.test_client()
        login = client.post("/login", data={"username": username, "secret": DEMO_PIN})
        assert login.status_code == 302
        for endpoint, path in pages_for(app, role, drill):
            response = client.get(path)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            parser = _Forms()
            parser.feed(response.get_data(as_text=True))
            for form in parser.forms:
                key = (endpoint, form["action"], tuple(sorted(form["fields"])))
                if not form["fields"] or key in tried:
                    continue
                tried.add(key)
                page = client.post(form["action"] or path, data=form["sent"])
                refused = re.findall(r'<p class="error" id="([^"]+)-error"', page.text)
                refused_all |= {f"{endpoint} {name}" for name in refused}
                out += [
                    f"{endpoint} {name}"
                    for name in refused
                    if name in form["fields"]
                    and "required" not in form["fields"][name]
                    and (endpoint, name) not in EITHER_OR | NOT_MISSING
                ]
    teardown()
    return refused_all, out


def test_a_field_refused_when_left_empty_is_marked_required(tmp_path: Path) -> None:
    refused, unmarked = _refused_empty(tmp_path)
    # The sweep reached the forms of the brief and saw them refuse empty fields.
    assert {
        "cases.new reply_fax",
        "cases.exam modality_temp_id",
        "reporting.call called_person",
        "routines.reviewer_receive reviewer_name",
        "catchup.case ris_accession",
        "admin.users username",
    } <= refused
    assert unmarked == []
