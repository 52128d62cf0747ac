"""The ages the pregnancy question is asked at are the site's own ([site] pregnancy_min_age and
pregnancy_max_age, 10 and 60 unless set): the server's rule and the browser's both follow them."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from webapp.cases.fields import site_today
from webapp.cases.pregnancy import pregnancy_unanswered
from webapp.config import EXAMPLE_SITE
from webapp.extensions import db
from webapp.identity import luhn_check_digit
from webapp.models import Site, utcnow
from webapp.siteconfig import SiteConfigError, parse_site_config

from .factories import referral_data, unidentified_referral_data

EXAMPLE = EXAMPLE_SITE.read_text(encoding="utf-8")
AGES = "pregnancy_min_age = 10\npregnancy_max_age = 60\n"


def _ages(low: object, high: object) -> str:
    return EXAMPLE.replace(AGES, f"pregnancy_min_age = {low}\npregnancy_max_age = {high}\n")


def test_the_example_names_the_ages_10_and_60() -> None:
    assert AGES in EXAMPLE
    ages = parse_site_config(EXAMPLE).pregnancy_ages
    assert (ages.youngest, ages.oldest) == (10, 60)


def test_the_ages_default_to_10_and_60() -> None:
    ages = parse_site_config(EXAMPLE.replace(AGES, "")).pregnancy_ages
    assert (ages.youngest, ages.oldest) == (10, 60)


def test_a_site_sets_its_own_ages() -> None:
    ages = parse_site_config(_ages(12, 55)).pregnancy_ages
    assert (ages.youngest, ages.oldest) == (12, 55)


@pytest.mark.parametrize(
    ("low", "high", "message"),
    [
        ('"12"', 55, "[site]: pregnancy_min_age ska vara ett helt antal år mellan 5 och 20"),
        ("true", 55, "[site]: pregnancy_min_age ska vara ett helt antal år mellan 5 och 20"),
        ("12.5", 55, "[site]: pregnancy_min_age ska vara ett helt antal år mellan 5 och 20"),
        ("-1", 55, "[site]: pregnancy_min_age ska vara ett helt antal år mellan 5 och 20"),
        (12, "nan", "[site]: pregnancy_max_age ska vara ett helt antal år mellan 40 och 70"),
        (12, 550, "[site]: pregnancy_max_age ska vara ett helt antal år mellan 40 och 70"),
        (12, "[55]", "[site]: pregnancy_max_age ska vara ett helt antal år mellan 40 och 70"),
        (55, 12, "[site]: pregnancy_min_age (55) ska vara lägre än pregnancy_max_age (12)"),
        (60, 60, "[site]: pregnancy_min_age (60) ska vara lägre än pregnancy_max_age (60)"),
    ],
)
def test_ages_that_are_no_range_of_years_are_refused_in_swedish(
    low: object, high: object, message: str
) -> None:
    with pytest.raises(SiteConfigError) as caught:
        parse_site_config(_ages(low, high))
    assert message in str(caught.value)


def test_stored_ages_out_of_range_still_load_with_the_defaults() -> None:
    # The laptop must start in an outage; the admin is shown the broken rule instead.
    config = parse_site_config(_ages(55, 12), strict=False)
    assert (config.pregnancy_ages.youngest, config.pregnancy_ages.oldest) == (10, 60)
    assert any("pregnancy_min_age" in m.text() for m in config.broken_rules)


@pytest.mark.parametrize(("age", "asked"), [(11, False), (12, True), (55, True), (56, False)])
def test_the_server_rule_follows_the_configured_ages(age: int, asked: bool) -> None:
    config = parse_site_config(_ages(12, 55))
    unanswered = pregnancy_unanswered(
        config,
        modality="CT",
        exam_codes=["CT-HJ"],
        answer="",
        is_reserve=True,
        sex="F",
        birth_date=None,
        approx_age=age,
    )
    assert unanswered is asked


# --- the referral form of a site that asks at 12-55 ---------------------------------------------


def _configure(app: Flask, low: int, high: int) -> None:
    """Site 1's ages, as an admin's save would set them."""
    with app.app_context():
        site = db.session.get(Site, 1)
        site.config_toml = _ages(low, high)
        site.updated_at = utcnow()  # the parsed configuration is cached per version
        db.session.commit()


def _woman_aged(app: Flask, years: int) -> str:
    """A woman's personnummer who is `years` old on the site's date (her birthday weeks ago)."""
    with app.test_request_context():
        weeks_ago = site_today() - timedelta(days=40)
    born = date(weeks_ago.year - years, weeks_ago.month, min(weeks_ago.day, 28))
    nine = born.strftime("%y%m%d") + "242"
    return f"{born:%Y%m%d}-242{luhn_check_digit(nine)}"


@pytest.fixture
def incident(client: FlaskClient, auth) -> int:
    auth.login()
    response = client.post("/incidents/new", data={"scenario": "integration"})
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def _asks(client: FlaskClient, data: dict[str, object]) -> bool:
    response = client.post("/cases/new", data=data)
    if response.status_code == 302:
        return False
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page
    return 'id="pregnancy-error"' in page


@pytest.mark.parametrize(("age", "asked"), [(11, False), (12, True), (55, True), (56, False)])
def test_a_site_of_12_to_55_asks_a_woman_of_those_ages_only(
    app: Flask, client: FlaskClient, incident: int, age: int, asked: bool
) -> None:
    _configure(app, 12, 55)
    woman = _woman_aged(app, age)
    data = referral_data(personal_number=woman, patient_name="Åsa Öberg")
    assert _asks(client, data) is asked


@pytest.mark.parametrize(("age", "asked"), [(11, False), (12, True), (55, True), (56, False)])
def test_a_site_of_12_to_55_asks_an_unidentified_woman_of_those_ages_only(
    app: Flask, client: FlaskClient, incident: int, age: int, asked: bool
) -> None:
    _configure(app, 12, 55)
    data = unidentified_referral_data(sex="F", approx_age=str(age))
    assert _asks(client, data) is asked


@pytest.mark.parametrize(("age", "asked"), [(9, False), (10, True), (60, True), (61, False)])
def test_the_default_site_still_asks_at_10_to_60(
    app: Flask, client: FlaskClient, incident: int, age: int, asked: bool
) -> None:
    woman = _woman_aged(app, age)
    data = referral_data(personal_number=woman, patient_name="Åsa Öberg")
    assert _asks(client, data) is asked


def test_the_form_hands_the_configured_ages_to_the_browser(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    _configure(app, 12, 55)
    page = client.get("/cases/new").get_data(as_text=True)
    assert 'data-pregnancy-min-age="12"' in page
    assert 'data-pregnancy-max-age="55"' in page


def test_the_site_page_refuses_ages_out_of_order_and_keeps_the_text(
    app: Flask, client: FlaskClient, auth
) -> None:
    auth.login("admin")
    typed = _ages(55, 12)
    response = client.post("/admin/site", data={"config_toml": typed})
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "pregnancy_min_age (55) ska vara lägre än pregnancy_max_age (12)" in page
    assert "pregnancy_min_age = 55" in page
    with app.app_context():
        assert db.session.get(Site, 1).config_toml == EXAMPLE


def test_the_board_and_case_page_ask_for_the_answer_by_the_sites_ages(
    app: Flask, client: FlaskClient, incident: int
) -> None:
    # Saved unasked at 12-55; a site that asks at 10-60 wants the answer of a woman of 58.
    _configure(app, 12, 55)
    response = client.post("/cases/new", data=unidentified_referral_data(sex="F", approx_age="58"))
    assert response.status_code == 302
    case_url = response.headers["Location"]
    for url in ("/board/", case_url):
        assert "Graviditet ej besvarad" not in client.get(url).get_data(as_text=True), url
    _configure(app, 10, 60)
    for url in ("/board/", case_url):
        assert "Graviditet ej besvarad" in client.get(url).get_data(as_text=True), url
