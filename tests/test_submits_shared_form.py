"""One form open on two tablets (a draft continued on the second): the second save, with other
text, is refused with the text kept and a message that names the other tablet, not only Back."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from .factories import exam_data, hidden_value, referral_data


def test_a_form_sent_from_a_second_tablet_after_the_first_says_another_tablet_may_have_sent_it(
    tablet_factory: Callable[..., FlaskClient],
) -> None:
    tablet_a = tablet_factory("anna")
    tablet_a.post("/incidents/new", data={"scenario": "integration"})
    url = tablet_a.post("/cases/new", data=referral_data()).headers["Location"]
    key = hidden_value(tablet_a.get(url + "/exam").get_data(as_text=True), "form_key")
    typed = exam_data(form_key=key, notes="Anna skrev")
    assert (
        tablet_a.put(
            f"/api/drafts/{key}",
            json={"kind": "exam", "seq": 1, "case_id": url.rsplit("/", 1)[-1], "data": typed},
        ).status_code
        == 200
    )
    tablet_b = tablet_factory("bo")
    opened = tablet_b.get(f"{url}/exam?draft={key}").get_data(as_text=True)
    assert hidden_value(opened, "form_key") == key  # B goes on in the same draft

    assert tablet_a.post(url + "/exam", data=typed).status_code == 302
    response = tablet_b.post(url + "/exam", data=exam_data(form_key=key, notes="Bo skrev sedan"))
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Bo skrev sedan" in page
    assert "annan platta" in page
