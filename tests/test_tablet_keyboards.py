"""Every text field of every page each role opens: the keyboard and form history it asks for.

A sweep by field kind, so a field added later is held to its kind's rule: a personnummer gets
digits with its hyphen, a fax a phone pad, a code capitals with no autocorrect, a name capitals
on each word, clinical prose a Swedish spellcheck, and no patient's data comes back as a
suggestion on the next patient's form on a shared tablet.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from .dbsetup import make_test_app
from .e2e.a11y_support import USERS, pages_for, seed_drill
from .factories import DEMO_PIN

Attrs = dict[str, str | None]

OFF = {"autocomplete": "off"}
# iPad and Android number pads for inputmode="numeric" have no hyphen (nor the + of the
# 100-year-olds); the phone pad has digits, - and +.
PERSONAL_NUMBER = OFF | {"inputmode": "tel"}
PHONE = OFF | {"type": "tel"}
CODE = OFF | {"autocapitalize": "characters", "autocorrect": "off", "spellcheck": "false"}
NAME = OFF | {"autocapitalize": "words", "autocorrect": "off", "spellcheck": "false"}
# A username is typed as it is stored, in lowercase; the login's is a token of its own.
USERNAME = {"autocapitalize": "none", "autocorrect": "off", "spellcheck": "false"}
SWEDISH_TEXT = {"lang": "sv"}

KINDS: dict[str, dict[str, str]] = {
    "personal_number": PERSONAL_NUMBER,
    "username": USERNAME,
    **dict.fromkeys(("fax_number", "phone_number", "reply_fax", "referrer_phone"), PHONE),
    # The reviewer routine's fax numbers (its forms' prefixes "fax" and "forward").
    "number": PHONE,
    **dict.fromkeys(
        (
            "case_code",
            "code",
            "typed",
            "reserve_number",
            "patient_ref",
            "patient",
            "modality_temp_id",
            "contrast_batch",
            "ris_accession",
            "deviation_number",
        ),
        CODE,
    ),
    **dict.fromkeys(
        (
            "patient_name",
            "proxy_name",
            "recipient_name",
            "referrer_clinician",
            "author_name",
            "called_person",
            "reviewer_name",
            "radiographers",
            "doctor_cleared_by",
            "display_name",
        ),
        NAME,
    ),
}
# Text areas that are not prose: the site's settings and a list of usernames, and a postal
# address.
NOT_PROSE = {"config_toml", "staff", "recipient_address"}
# One line of Swedish typed by staff: an exam's name, the referring unit, a clinical fact, a
# contrast agent as written in the record, a reason, a note, a template's name, a binder's
# label.
SWEDISH_LINE = {
    "exam_text",
    "referrer_unit",
    "implants_note",
    "infection_note",
    "contrast_agent",
    "reason",
    "note",
    "name",
    "batch_label",
    "how",
}
# One line that is no Swedish prose: a username, a lab value with its bound (">90"), RIS's
# number; and the kinds above (personnummer, phone, code, a person's name).
NOT_SWEDISH_LINE = {"creatinine", "egfr", "ris_exam_number", *KINDS}


class _Fields(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: list[Attrs] = []
        self.label_for: set[str] = set()
        self.in_label = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found: Attrs = dict(attrs)
        if tag == "label":
            self.in_label += 1
            if found.get("for"):
                self.label_for.add(str(found["for"]))
        elif tag in ("input", "textarea") and found.get("type") not in (
            "hidden",
            "submit",
            "button",
            "checkbox",
            "radio",
        ):
            self.fields.append(found | {"_tag": tag, "_wrapped": "y" if self.in_label else None})

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.in_label -= 1


def _short_name(field: Attrs) -> str:
    return str(field.get("name") or "").rsplit("-", 1)[-1]


def _sweep(tmp_path: Path, english: bool) -> dict[str, Attrs]:
    """Each text field of each page, by "endpoint name" ("endpoint name #id" for another
    field of that name), the first page that shows it."""
    app, teardown = make_test_app(tmp_path, WTF_CSRF_ENABLED=False)
    drill = seed_drill(app)
    found: dict[str, Attrs] = {}
    for role, username in USERS.items():
        client = app.test_client()
        if english:
            client.post("/language", data={"lang": "en"})
        login = client.post("/login", data={"username": username, "secret": DEMO_PIN})
        assert login.status_code == 302
        for endpoint, path in pages_for(app, role, drill):
            response = client.get(path)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            parser = _Fields()
            parser.feed(response.get_data(as_text=True))
            for field in parser.fields:
                labelled = field["_wrapped"] or field.get("id") in parser.label_for
                key = f"{endpoint} {field.get('name')}"
                # A field of the same name drawn by another form of the page (a detach
                # reason after the cancel reason) is read too, under its own id.
                if key in found and found[key].get("id") != field.get("id"):
                    key = f"{key} #{field.get('id')}"
                found.setdefault(key, field | {"_labelled": labelled and "y"})
    teardown()
    return found


@pytest.fixture(scope="module")
def every_field(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Attrs]:
    return _sweep(tmp_path_factory.mktemp("keyboards"), english=False)


@pytest.fixture(scope="module")
def every_field_in_english(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Attrs]:
    return _sweep(tmp_path_factory.mktemp("keyboards-en"), english=True)


def test_the_sweep_reads_the_forms_of_the_brief(every_field: dict[str, Attrs]) -> None:
    endpoints = {key.split()[0] for key in every_field}
    assert {
        "cases.new",
        "cases.exam",
        "cases.identity",
        "cases.show",
        "reporting.screen",
        "reporting.addendum",
        "reporting.call",
        "catchup.case",
        "catchup.scan",
        "blanks.index",
        "blanks.open_blank",
        "routines.release_new",
        "routines.transfer_new",
        "routines.reviewer_case",
        "incidents.declare",
        "admin.users",
        "auth.login",
        "auth.own_secret",
    } <= endpoints


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("personal number", PERSONAL_NUMBER),
        ("phone or fax", PHONE),
        ("code", CODE),
        ("name", NAME),
        ("username", USERNAME),
    ],
)
def test_each_field_of_a_kind_asks_for_its_keyboard(
    every_field: dict[str, Attrs], kind: str, expected: dict[str, str]
) -> None:
    wrong = {
        key: {k: field.get(k) for k in expected}
        for key, field in every_field.items()
        if KINDS.get(_short_name(field)) is expected
        and any(field.get(k) != v for k, v in expected.items())
    }
    assert any(KINDS.get(_short_name(f)) is expected for f in every_field.values()), kind
    assert wrong == {}


def _prose(fields: dict[str, Attrs]) -> dict[str, Attrs]:
    return {
        key: field
        for key, field in fields.items()
        if field["_tag"] == "textarea" and _short_name(field) not in NOT_PROSE
    }


def test_clinical_prose_is_spellchecked_in_swedish_on_a_page_in_english(
    every_field_in_english: dict[str, Attrs],
) -> None:
    # The record is written in Swedish whatever language the page is drawn in.
    prose = _prose(every_field_in_english)
    assert len(prose) > 20
    wrong = [
        key
        for key, field in prose.items()
        if field.get("lang") != "sv" or field.get("spellcheck") == "false"
    ]
    assert wrong == []


def test_clinical_prose_on_a_swedish_page_takes_the_pages_lang(
    every_field: dict[str, Attrs],
) -> None:
    prose = _prose(every_field)
    assert [key for key, f in prose.items() if f.get("lang") or f.get("spellcheck")] == []


def test_settings_and_lists_are_not_spellchecked(every_field: dict[str, Attrs]) -> None:
    for key in ("admin.site config_toml", "admin.users_many staff"):
        assert every_field[key].get("spellcheck") == "false"


def test_every_text_field_has_a_label_tied_to_it(every_field: dict[str, Attrs]) -> None:
    assert [key for key, field in every_field.items() if not field["_labelled"]] == []


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("auth.login username", {"autocomplete": "username"}),
        ("auth.login secret", {"autocomplete": "current-password", "type": "password"}),
        ("auth.own_secret current", {"autocomplete": "current-password", "inputmode": "numeric"}),
        ("auth.own_secret new", {"autocomplete": "new-password", "inputmode": "numeric"}),
        ("admin.users username", {"autocapitalize": "none", "autocorrect": "off"}),
        ("admin.users secret", {"autocomplete": "new-password"}),
        ("cases.exam started_at", {"type": "datetime-local"}),
        ("incidents.declare started_at", {"type": "datetime-local"}),
        ("cases.new kidney_measured_on", {"type": "date"}),
        ("cases.exam contrast_volume_ml", {"inputmode": "decimal"}),
        ("cases.exam image_count", {"inputmode": "numeric"}),
        ("blanks.index count", {"inputmode": "numeric"}),
        # A page opened to type one thing: the keyboard's Enter key says what it does.
        ("catchup.scan code", {"enterkeyhint": "go"}),
        ("blanks.attach typed", {"enterkeyhint": "search"}),
    ],
)
def test_fields_with_a_keyboard_of_their_own(
    every_field: dict[str, Attrs], key: str, expected: dict[str, str]
) -> None:
    assert {k: every_field[key].get(k) for k in expected} == expected


@pytest.mark.parametrize(
    "key",
    [
        "auth.login username",
        "catchup.scan code",
        "auth.own_secret current",
        "blanks.attach typed",
        # Opened with the reviewer's fax in hand, to type the code on it.
        "routines.reviewer_receive case_code",
    ],
)
def test_a_page_opened_to_type_one_thing_starts_in_its_field(
    every_field: dict[str, Attrs], key: str
) -> None:
    assert "autofocus" in every_field[key]


def _one_line_text(fields: dict[str, Attrs]) -> dict[str, Attrs]:
    """The one-line inputs of free text: not a date, a number, a phone number nor a secret."""
    return {
        key: field
        for key, field in fields.items()
        if field["_tag"] == "input"
        and field.get("type") in (None, "text", "search")
        and field.get("inputmode") not in ("numeric", "decimal", "tel")
    }


def test_each_one_line_text_field_is_decided_swedish_or_not(
    every_field_in_english: dict[str, Attrs],
) -> None:
    # A field added later is held to a decision: Swedish prose, or a kind that is not.
    undecided = [
        key
        for key, field in _one_line_text(every_field_in_english).items()
        if _short_name(field) not in SWEDISH_LINE | NOT_SWEDISH_LINE
    ]
    assert undecided == []


def test_one_line_swedish_text_is_marked_swedish_on_a_page_in_english(
    every_field_in_english: dict[str, Attrs],
) -> None:
    # An exam's name or a unit typed in Swedish: the tablet's spellcheck and keyboard, and a
    # screen reader, take it as Swedish whatever language the page is drawn in.
    swedish = {
        key: field
        for key, field in _one_line_text(every_field_in_english).items()
        if _short_name(field) in SWEDISH_LINE
    }
    assert {_short_name(f) for f in swedish.values()} >= {
        "exam_text",
        "referrer_unit",
        "implants_note",
        "infection_note",
        "contrast_agent",
        "reason",
        "note",
        "name",
        "batch_label",
    }
    wrong = [
        key
        for key, field in swedish.items()
        if field.get("lang") != "sv" or field.get("spellcheck") == "false"
    ]
    assert wrong == []


def test_names_codes_and_numbers_are_not_marked_swedish_on_a_page_in_english(
    every_field_in_english: dict[str, Attrs],
) -> None:
    # A patient's name is no Swedish word: a Swedish spellcheck would "correct" it.
    marked = [
        key
        for key, field in every_field_in_english.items()
        if field["_tag"] == "input"
        and _short_name(field) not in SWEDISH_LINE
        and field.get("lang") is not None
    ]
    assert marked == []


def test_one_line_swedish_text_on_a_swedish_page_takes_the_pages_lang(
    every_field: dict[str, Attrs],
) -> None:
    swedish = _one_line_text(every_field)
    assert [key for key, f in swedish.items() if f.get("lang")] == []


def _form_classes() -> list[type]:
    from webapp.formutil import BaseForm, SubForm

    found: list[type] = []
    todo: list[type] = [BaseForm, SubForm]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_one_line_text_field_of_every_form_is_decided(
    every_field: dict[str, Attrs],
) -> None:
    # Also the forms no page of the sweep draws (the clean-up of a cancelled case's order):
    # each one-line field is Swedish prose, set by its kind, or a kind that is not.
    from wtforms import HiddenField
    from wtforms.fields.core import UnboundField

    from webapp.formutil import SWEDISH_TEXT_KEYS, is_single_line

    undecided, unmarked = [], []
    for cls in _form_classes():
        for name in dir(cls):
            unbound = getattr(cls, name, None)
            if (
                not isinstance(unbound, UnboundField)
                or not is_single_line(unbound.field_class)
                or issubclass(unbound.field_class, HiddenField)
            ):
                continue
            render_kw = unbound.kwargs.get("render_kw") or {}
            where = f"{cls.__module__}.{cls.__name__}.{name}"
            if name not in SWEDISH_LINE | NOT_SWEDISH_LINE:
                undecided.append(where)
            elif (name in SWEDISH_LINE) != (render_kw.get("lang") == SWEDISH_TEXT_KEYS["lang"]):
                unmarked.append(where)
    assert (undecided, unmarked) == ([], [])
