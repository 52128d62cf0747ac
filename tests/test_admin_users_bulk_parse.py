"""Reading a pasted staff list: one person a line, fields by semicolon or tab, roles as staff
write them, usernames made from names, and each line's problem named beside it."""

from __future__ import annotations

import pytest

from webapp.admin.staff_list import ROLE_EXAMPLES, StaffLine, parse_staff_list


def _parse(text: str, taken: tuple[str, ...] = (), names: dict[str, str] | None = None):
    return parse_staff_list(text, taken=set(taken), existing_names=names or {})


def _problems(line: StaffLine) -> list[str]:
    return [p.text() for p in line.problems]


def test_semicolons_and_tabs_both_separate_fields() -> None:
    lines = _parse("Anna Ek;anna.ek;radiolog\nBo Lind\tbo.lind\tsekreterare\n")
    assert [(x.name, x.username, x.role) for x in lines] == [
        ("Anna Ek", "anna.ek", "radiologist"),
        ("Bo Lind", "bo.lind", "secretary"),
    ]
    assert not any(x.problems for x in lines)


def test_header_and_blank_lines_are_skipped_and_lines_keep_their_numbers() -> None:
    lines = _parse("Namn;Användarnamn;Roll\n\n   \nAnna Ek;;ssk\n\nBo Lind;admin\n")
    assert [(x.number, x.name) for x in lines] == [(4, "Anna Ek"), (6, "Bo Lind")]


def test_an_excel_copy_with_an_empty_username_column_and_trailing_tabs() -> None:
    (line,) = _parse("Anna Ek\t\tRöntgensjuksköterska\t\t\r\n")
    assert (line.name, line.username, line.role) == ("Anna Ek", "anna.ek", "radiographer")
    assert line.username_made
    assert not line.problems


@pytest.mark.parametrize(
    ("typed", "role"),
    [
        ("röntgensjuksköterska", "radiographer"),
        ("Röntgensjuksköterska", "radiographer"),
        ("rtg-ssk", "radiographer"),
        ("RTG SSK", "radiographer"),
        ("ssk", "radiographer"),
        ("radiolog", "radiologist"),
        ("Läkare", "radiologist"),
        ("röntgenläkare", "radiologist"),
        ("sekreterare", "secretary"),
        ("Medicinsk sekreterare", "secretary"),
        ("läkarsekreterare", "secretary"),
        ("administratör", "admin"),
        ("Admin", "admin"),
        ("systemförvaltare", "admin"),
        ("radiographer", "radiographer"),
    ],
)
def test_roles_are_read_as_staff_write_them(typed: str, role: str) -> None:
    (line,) = _parse(f"Anna Ek;{typed}")
    assert line.role == role
    assert not line.problems


@pytest.mark.parametrize("typed", ["chef", "sjuksköterska på akuten", "rad", ""])
def test_an_unknown_or_missing_role_is_an_error_on_its_line(typed: str) -> None:
    (line,) = _parse(f"Anna Ek;anna.ek;{typed}")
    assert line.role == ""
    assert _problems(line) == (
        ["Ange roll."]
        if not typed
        else [f'Okänd roll "{typed}". Skriv t.ex. ssk, radiolog, sekreterare eller admin.']
    )


def test_a_line_with_a_name_only_lacks_its_role() -> None:
    (line,) = _parse("Anna Ek")
    assert _problems(line) == ["Ange roll."]


@pytest.mark.parametrize(
    ("name", "username"),
    [
        ("Åsa Öberg", "asa.oberg"),
        ("Ängla Ärlig", "angla.arlig"),
        ("René Søndergaard", "rene.sondergaard"),
        ("Anna-Karin  Ek", "anna-karin.ek"),
        ("Ek, Anna", "ek.anna"),
        ("Zoë O'Brien", "zoe.obrien"),
    ],
)
def test_usernames_are_made_from_names_in_ascii(name: str, username: str) -> None:
    (line,) = _parse(f"{name};radiolog")
    assert line.username == username
    assert not line.problems


def test_a_made_username_avoids_taken_ones_and_the_rest_of_the_list() -> None:
    lines = _parse(
        "Åsa Öberg;ssk\nAsa Oberg;asa.oberg2;ssk\nÅsa Öberg;radiolog\n", taken=("asa.oberg",)
    )
    # The third line is the same name as the first: a namesake is named, not guessed.
    assert [x.username for x in lines] == ["asa.oberg3", "asa.oberg2", "asa.oberg4"]
    assert not lines[0].problems and not lines[1].problems
    assert _problems(lines[2]) == [
        "Samma namn står redan på rad 1. Är det två personer, skriv ett användarnamn på raden."
    ]


def test_a_name_already_a_user_of_the_site_is_named() -> None:
    (line,) = _parse("Åsa Öberg;ssk", taken=("asa.oberg",), names={"åsa öberg": "asa.oberg"})
    assert _problems(line) == [
        "Det finns redan en användare med namnet (asa.oberg). Är det en annan person, skriv ett "
        "användarnamn på raden."
    ]


def test_a_given_username_taken_or_twice_in_the_list_is_an_error() -> None:
    lines = _parse("Anna Ek;anna;ssk\nBo Lind;anna;ssk\nCe Dahl;bo;ssk\n", taken=("bo",))
    assert _problems(lines[0]) == []
    assert _problems(lines[1]) == ["Användarnamnet står redan på rad 1."]
    assert _problems(lines[2]) == ["Användarnamnet finns redan."]


def test_a_given_username_is_lowercased_and_a_bad_one_named() -> None:
    lines = _parse("Anna Ek;Anna.Ek;ssk\nBo Lind;bö lind;ssk\nCe Dahl;c;ssk\n")
    assert lines[0].username == "anna.ek" and not lines[0].problems
    rule = "Användarnamnet ska vara 2–64 tecken: bokstäver a–z, siffror, punkt, bindestreck och _."
    assert _problems(lines[1]) == [rule]
    assert _problems(lines[2]) == [rule]


def test_a_missing_or_too_long_name_is_an_error() -> None:
    lines = _parse(";anna;ssk\n" + "A" * 121 + ";bo;ssk\n")
    assert _problems(lines[0]) == ["Ange namn."]
    assert _problems(lines[1]) == ["Namnet får vara högst 120 tecken."]


def test_a_name_with_no_letter_to_make_a_username_from_asks_for_one() -> None:
    (line,) = _parse("王芳;ssk")
    assert line.username == ""
    assert _problems(line) == [
        "Användarnamnet kan inte bildas av namnet. Skriv ett användarnamn på raden."
    ]


def test_too_many_fields_is_an_error() -> None:
    (line,) = _parse("Anna Ek;anna;ssk;extra")
    assert _problems(line) == [
        "För många fält: skriv namn, användarnamn (kan utelämnas) och roll, åtskilda med semikolon "
        "eller tabb."
    ]


def test_a_long_made_username_stays_within_64_characters() -> None:
    long_name = "Anna " + "Maria " * 12 + "Ek"
    (line,) = _parse(f"{long_name};ssk", taken=(("anna." + "maria." * 12 + "ek")[:64],))
    assert len(line.username) <= 64
    assert line.username.endswith("2")
    assert not line.problems


@pytest.mark.parametrize(
    ("role", "typed"), [(role, w) for role, words in ROLE_EXAMPLES.items() for w in words]
)
def test_every_spelling_the_page_lists_is_read_as_its_role(role: str, typed: str) -> None:
    (line,) = _parse(f"Anna Ek;{typed}")
    assert line.role == role
