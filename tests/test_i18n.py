"""The English catalogue covers every Swedish UI string (gathered by the collector in
i18n_support.py): no string missing or empty, the same placeholders, the keys sorted."""

from __future__ import annotations

import pytest

from webapp.i18n_en import EN

from .i18n_support import PLACEHOLDER_RE, all_ui_strings


def test_collector_finds_strings_from_every_source() -> None:
    found = all_ui_strings()
    assert "Logga in" in found  # template
    assert "Sidan finns inte." in found  # gettext() in Python
    assert "Röntgensjuksköterska" in found  # ROLE_LABELS
    assert "Ange användarnamn." in found  # validator message
    assert "PIN-kod eller lösenord" in found  # field label
    assert "Vet ej" in found  # choice label


def test_every_ui_string_has_an_english_translation() -> None:
    missing = {text: where for text, where in all_ui_strings().items() if text not in EN}
    listing = "\n".join(f"  {where}: {text!r}" for text, where in sorted(missing.items()))
    assert not missing, f"{len(missing)} UI strings lack an English translation:\n{listing}"


def test_translations_are_not_empty() -> None:
    assert not [key for key, value in EN.items() if not value.strip()]


@pytest.mark.parametrize("key", sorted(EN))
def test_placeholders_match(key: str) -> None:
    assert sorted(PLACEHOLDER_RE.findall(EN[key])) == sorted(PLACEHOLDER_RE.findall(key))


def test_catalogue_is_sorted() -> None:
    assert list(EN) == sorted(EN)
