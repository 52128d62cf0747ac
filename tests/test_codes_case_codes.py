"""Case codes (webapp.codes): the alphabet and check character, generation, and reading a code
as staff type it."""

from __future__ import annotations

import random
import re
import secrets

import pytest

from webapp.codes import ALPHABET, CodeError, check_character, generate_case_code, parse_case_code

from .codes_support import EXAMPLE, MSG_CHECK, code_error

MSG_LENGTH = "Ärendekoden ska ha 6 tecken, t.ex. K7M-2Q2."


# --- alphabet and check character --------------------------------------------------------------


def test_the_alphabet_has_31_upper_case_characters_and_no_look_alikes() -> None:
    assert len(ALPHABET) == 31
    assert len(set(ALPHABET)) == 31
    assert not set(ALPHABET) & set("0O1IL")
    assert ALPHABET.upper() == ALPHABET


def test_every_single_error_and_transposition_is_detected() -> None:
    rng = random.Random(20250615)
    codes = [parse_case_code(generate_case_code(rng)).replace("-", "") for _ in range(400)]
    for code in codes:
        for position in range(6):
            for replacement in ALPHABET:
                if replacement == code[position]:
                    continue
                mutated = code[:position] + replacement + code[position + 1 :]
                assert check_character(mutated[:5]) != mutated[5], (code, mutated)
        # Adjacent swaps are required; the distinct weights also catch any other swap.
        for i in range(6):
            for j in range(i + 1, 6):
                if code[i] == code[j]:
                    continue
                swapped = list(code)
                swapped[i], swapped[j] = swapped[j], swapped[i]
                mutated = "".join(swapped)
                assert check_character(mutated[:5]) != mutated[5], (code, mutated)
                with pytest.raises(CodeError):
                    parse_case_code(mutated)


def test_check_character_refuses_a_short_body_or_a_look_alike() -> None:
    with pytest.raises(CodeError):
        check_character("ABCD")
    with pytest.raises(CodeError):
        check_character("ABCDO")


# --- generation ---------------------------------------------------------------------------------


def test_generated_codes_parse_back_and_use_only_the_alphabet() -> None:
    rng = random.Random(1)
    allowed = set(ALPHABET) | {"-"}
    for _ in range(10_000):
        code = generate_case_code(rng)
        assert len(code) == 7
        assert code[3] == "-"
        assert set(code) <= allowed
        assert parse_case_code(code) == code


def test_codes_from_the_default_or_the_system_random_parse_back() -> None:
    for rng in (None, secrets.SystemRandom()):
        code = generate_case_code(rng)
        assert parse_case_code(code) == code


def test_generation_is_reproducible_with_seeded_rng() -> None:
    assert generate_case_code(random.Random(7)) == generate_case_code(random.Random(7))


# --- parsing human input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        EXAMPLE,
        EXAMPLE.lower(),
        EXAMPLE.replace("-", ""),
        EXAMPLE.replace("-", " "),
        f"  {EXAMPLE.lower()}  \r\n",
        " ".join(EXAMPLE.replace("-", "")),
        EXAMPLE.replace("-", "–"),
        f"{EXAMPLE[:2]}-{EXAMPLE[2:]}",
    ],
)
def test_parse_tolerates_case_spaces_and_dashes(variant: str) -> None:
    assert parse_case_code(variant) == EXAMPLE


@pytest.mark.parametrize("text", ["", "K7M", "K7M-2Q", "K7M-2QXX", "K7M-2QX-7", "-------"])
def test_a_code_of_the_wrong_length_is_refused_with_an_example(text: str) -> None:
    assert code_error(parse_case_code, text) == MSG_LENGTH


@pytest.mark.parametrize(
    ("char", "shown"),
    [
        ("O", "O"),
        ("o", "O"),
        ("0", "0"),
        ("1", "1"),
        ("I", "I"),
        ("i", "I"),
        ("L", "L"),
        ("l", "L"),
    ],
)
def test_look_alike_characters_are_refused_not_guessed(char: str, shown: str) -> None:
    message = code_error(parse_case_code, "K7M-2Q" + char)
    assert message == (
        f"Tecknet '{shown}' finns inte i ärendekoder (koderna använder inte 0, O, 1, I eller L)."
    )


@pytest.mark.parametrize("char", ["#", "Å", "ß", "٣"])
def test_a_character_outside_the_alphabet_is_named_in_the_refusal(char: str) -> None:
    message = code_error(parse_case_code, "K7M2Q" + char)
    assert message == f"Tecknet '{char}' finns inte i ärendekoder."


def test_a_wrong_check_character_is_refused_as_a_misspelt_code() -> None:
    body = EXAMPLE.replace("-", "")[:5]
    wrong = next(ch for ch in ALPHABET if ch != check_character(body))
    assert code_error(parse_case_code, body + wrong) == MSG_CHECK


def test_the_example_code_in_the_length_message_passes_its_own_check() -> None:
    from webapp.codes import MSG_LENGTH as shown  # the message staff read, not this file's copy

    [example] = re.findall(r"\b[0-9A-Z]{3}-[0-9A-Z]{3}\b", shown)
    assert parse_case_code(example) == example


def test_a_code_error_is_a_value_error() -> None:
    assert issubclass(CodeError, ValueError)
