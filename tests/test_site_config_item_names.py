"""A refusal of the site file names the block by its key or code, as the admin finds it there."""

from __future__ import annotations

import pytest
from flask.testing import FlaskCliRunner

from webapp.config import EXAMPLE_SITE
from webapp.siteconfig import SiteConfigError, parse_site_config

from .factories import second_site

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
LE = 'code = "CT-LE"\nname = "DT lungartärer (lungemboli)"\nmodality = "CT"\ncontrast = true'
SMALL_SITE_HOURS = 'hours = ["mon-fri 07:30-15:30"]'

EDITS = {
    "contact-number": (
        ('fax = "0999-500 01"', 'fax = "0999-5OO 01"'),
        'kontakt "fax_small_site": fax ska vara ett nummer',
    ),
    "contact-hours": (
        (SMALL_SITE_HOURS, 'hours = ["vardagar 07:00-15:30"]'),
        "kontakt \"fax_small_site\": öppettiden 'vardagar 07:00-15:30' ska skrivas som",
    ),
    "contact-time": (
        (SMALL_SITE_HOURS, 'hours = ["mon-fri 07:30-25:00"]'),
        "kontakt \"fax_small_site\": ogiltig tid i 'mon-fri 07:30-25:00'",
    ),
    "contact-empty-hours": (
        (SMALL_SITE_HOURS, 'hours = ["mon-fri 07:30-07:30"]'),
        "kontakt \"fax_small_site\": öppettiden 'mon-fri 07:30-07:30' slutar när den börjar",
    ),
    "contact-without-key": (
        ('key = "fax_small_site"\n', 'nyckel = "fax_small_site"\n'),
        "kontakt 5: 'key' saknas",
    ),
    "exam": (
        (LE, LE.replace("contrast", "kontrast")),
        'undersökning "CT-LE": kontrast är inget namn',
    ),
    "exam-without-code": (
        (LE, LE.replace('code = "CT-LE"\n', "").replace("contrast", "kontrast")),
        "undersökning 7: kontrast är inget namn",
    ),
    "modality": (
        ("mr_safety = true\n\n[[modalities]]", "mr_saftey = true\n\n[[modalities]]"),
        'modalitet "MR": mr_saftey är inget namn',
    ),
    "priority": (("max_wait_minutes = 60", "max_wait = 60"), 'prioritet "akut": max_wait är'),
    "notification": (
        ('{ key = "tib_informed", label', '{ key = "tib_informed", text = "", label'),
        'scenariot integration, avisering "tib_informed": text är inget namn',
    ),
    "notification-without-key": (
        ('{ key = "tib_informed", label', '{ nyckel = "tib_informed", label'),
        "scenariot integration, avisering 2: nyckel är inget namn",
    ),
    "follow-up": (
        ('{ key = "tib_restored", label', '{ key = "tib_restored", text = "", label'),
        'scenariot om_ris, uppföljning "tib_restored": text är inget namn',
    ),
}


@pytest.mark.parametrize(("edit", "message"), EDITS.values(), ids=EDITS.keys())
def test_a_refusal_names_the_block_by_its_key_or_else_its_number(
    edit: tuple[str, str], message: str
) -> None:
    old, new = edit
    assert old in EXAMPLE
    with pytest.raises(SiteConfigError) as refused:
        parse_site_config(EXAMPLE.replace(old, new, 1))
    assert message in str(refused.value)


def test_create_user_for_a_site_that_does_not_exist_lists_the_sites(
    app, runner: FlaskCliRunner
) -> None:
    second_site(app)
    result = runner.invoke(
        args=["create-user", "anna", "--role", "admin", "--pin", "135790", "--site", "XYZ"]
    )
    assert result.exit_code == 2
    assert "Enheten XYZ finns inte. Enheterna som finns: EXS, LBY." in result.output
