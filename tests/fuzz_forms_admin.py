"""The admin's forms (users, site, report templates) and the login forms for the bad-input
tests (test_fuzz_forms.py): the fields to spoil, and those whose typed values must come back."""

from __future__ import annotations

from webapp.admin.staff_list import parse_staff_list, plan_digest

from .fuzz_harness import Form

STAFF = "Åsa Öberg;ssk\nBo Lind;bo.lind;radiolog"

ADMIN_FORMS = (
    Form(
        "admin.users",
        "/admin/users",
        "admin",
        lambda w: {
            "display_name": "Ny Person",
            "username": "ny.person",
            "role": "radiographer",
            "kind": "pin",
            "secret": "1",
        },
        ("display_name", "username", "role", "kind", "secret"),
        ("display_name", "username"),
    ),
    Form(
        "admin.users_many",
        "/admin/users/many",
        "admin",
        lambda w: {"staff": STAFF},
        ("staff", "form_key", "plan"),
        ("staff",),
    ),
    Form(
        "admin.users_many_create",
        "/admin/users/many/create",
        "admin",
        # The plan the preview shows for the list (nobody in the world has these names).
        lambda w: {
            "staff": STAFF,
            "plan": plan_digest(parse_staff_list(STAFF, taken=(), existing_names={})),
        },
        ("staff", "form_key", "plan"),
        ("staff",),
    ),
    Form(
        "admin.edit_user",
        "/admin/users/{user_id}",
        "admin",
        lambda w: {
            "display_name": "Testa Röntgen",
            "role": "radiographer",
            "is_active": "y",
            "kind": "pin",
            "secret": "1",
        },
        ("display_name", "role", "is_active", "kind", "secret"),
        ("display_name",),
    ),
    Form(
        "admin.site",
        "/admin/site",
        "admin",
        lambda w: {"config_toml": "[site]"},
        ("config_toml",),
        ("config_toml",),
    ),
    Form(
        "reporting.edit_template",
        "/reporting/templates/new",
        "admin",
        lambda w: {
            "name": "Mall",
            "modality": "CT",
            "sections": "Fynd\nBedömning",
            "phrases": "Okänd: text",
            "is_active": "y",
        },
        ("name", "modality", "exam_codes", "sections", "phrases", "is_active"),
        ("name", "sections"),
    ),
)

AUTH_FORMS = (
    Form(
        "auth.own_secret",
        "/me/secret",
        "radiologist",
        lambda w: {"current": "000000", "kind": "pin", "new": "1", "confirm": "1"},
        ("current", "kind", "new", "confirm"),
        # Secrets are never written back into a page.
        (),
    ),
    Form(
        "auth.login",
        "/login",
        "",
        lambda w: {"username": "test-radiographer", "secret": "000000"},
        ("username", "secret"),
        # A refused name is shown back only when it could be a username (it may be a PIN or a
        # password typed in the wrong field): tests/test_auth_username_echo.py checks both.
        (),
    ),
)
