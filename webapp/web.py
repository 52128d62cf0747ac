"""Template helpers and error pages."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter, Map

from .audit_labels import action_label
from .csrf_refusal import csrf_refused
from .durations import duration_text, waiting_text
from .formutil import saved_form_key
from .i18n import LANGUAGES, current_language, gettext, in_swedish, sv_lang, translator
from .incident_log_labels import shown_label, shown_note
from .models import MAX_ROW_ID, utcnow
from .network import is_loopback_host, is_loopback_url, lan_urls
from .numbers import decimal_text
from .phone_numbers import tel_uri
from .refused_forms import redraw_refused_form
from .role_labels import ROLE_LABELS
from .storage_errors import DatabaseBusy, StorageUnavailable, is_storage_failure, refused_write

STATUS_LABELS = {
    "referral_received": "Remiss mottagen",
    "exam_done": "Undersökning klar",
    "report_draft": "Utlåtande påbörjat",
    "report_preliminary": "Preliminärt utlåtande",
    "report_definitive": "Definitivt utlåtande",
    "keyed_in_ris": "Inlagd i RIS",
    "closed": "Avslutad",
    "cancelled": "Makulerad",
}


def local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A UTC timestamp in the site's time zone, formatted for staff."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return value.astimezone(zone).strftime(fmt)


def local_time_marked(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """As local_time, with the offset from UTC after a time in the hour the clocks go back."""
    text = local_time(value, fmt)
    if value is None:
        return text
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(
        ZoneInfo(current_app.config["TIMEZONE"])
    )
    offset = local.utcoffset()
    # That hour comes twice: unmarked, a course over the night reads as going back in time
    # (the CSV export marks it so too).
    if offset is None or local.replace(fold=1 - local.fold).utcoffset() == offset:
        return text
    minutes = int(offset.total_seconds()) // 60
    return text + (f" (UTC{minutes // 60:+d})" if minutes % 60 == 0 else f" (UTC{local:%z})")


def local_time_dated(value: datetime | None, seconds: bool = False) -> str:
    """As local_time_marked, the time alone when it is today at the site, else with its date;
    with seconds when asked (two drafts saved within one minute are told apart by them)."""
    if value is None:
        return ""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone)
    # An outage can last days: "14:05" alone does not say which day it was.
    same_day = local.date() == datetime.now(zone).date()
    clock = "%H:%M:%S" if seconds else "%H:%M"
    return local_time_marked(value, clock if same_day else "%Y-%m-%d " + clock)


def _request_host_port() -> tuple[str, int]:
    host, _, port = request.host.rpartition(":") if ":" in request.host else (request.host, "", "")
    return host, int(port) if port.isascii() and port.isdigit() else 80


def listen_host() -> str | None:
    """The address app.py listens on, when tablets reach it there; None when not known."""
    # Behind Caddy (make tls) the app listens on loopback and Caddy on the laptop's addresses.
    if current_app.config.get("BEHIND_PROXY"):
        return None
    host = current_app.config.get("LISTEN_HOST")
    return str(host) if host else None


def tablet_urls() -> list[str]:
    """The addresses tablets open, on the port and scheme this request came in on."""
    return lan_urls(_request_host_port()[1], request.scheme, listen_host())


def listens_on_loopback() -> bool:
    """Whether the server listens on this laptop's loopback only, out of every tablet's reach."""
    host = listen_host()
    return host is not None and is_loopback_host(host)


def tablet_url() -> str:
    """The one address tablets open: the one this request came in on when it is one of the
    laptop's LAN addresses (a laptop on two networks: the admin's tablet reached it there),
    else the laptop's first; "" when the laptop knows none but its own loopback."""
    urls = [url for url in tablet_urls() if not is_loopback_url(url)]
    if not urls:
        return ""
    host, port = _request_host_port()
    here = f"{request.scheme}://{host}:{port}/"
    return here if here in urls else urls[0]


def local_now() -> datetime:
    """Now in the site's time zone."""
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"]))


def minutes_since(value: datetime | None) -> int:
    """Whole minutes from a timestamp until now."""
    if value is None:
        return 0
    return max(0, int((utcnow() - value).total_seconds() // 60))


def clean_attrs(attrs: dict[str, object]) -> dict[str, object]:
    """Drop attributes whose value is None or False, so they are not rendered at all."""
    return {k: v for k, v in attrs.items() if v is not None and v is not False and v != ""}


def _error_page(error: HTTPException) -> ResponseReturnValue:
    code = error.code or 500
    if code == 413 and request.path.startswith("/api/"):
        # drafts.js reads this: it tells the user the text is too large to be saved
        # automatically (a reload would send the same again), not a page it cannot show.
        return {"error": "too_large"}, 413
    messages = {
        400: gettext("Begäran kunde inte tolkas."),
        403: gettext("Du har inte behörighet till den här sidan."),
        404: gettext("Sidan finns inte."),
        405: gettext("Sidan kan inte användas så."),
        413: gettext("Det du skickade är för stort."),
    }
    message = messages.get(code, gettext("Något gick fel."))
    return render_template("error.html", code=code, message=message), code


def _storage_refused(error: Exception) -> ResponseReturnValue:
    """A write the database refused (its disk, or another program's lock held too long), where
    no view kept the form: its form drawn again by its view, or else said on a page of its own;
    answered as try again."""
    refusal = error if isinstance(error, StorageUnavailable) else refused_write(error)
    busy = isinstance(refusal, DatabaseBusy)
    why = "databasen var upptagen" if busy else "disken tog inte emot"
    current_app.logger.error("En skrivning på %s gick inte (%s): %s", request.path, why, error)
    # drafts.js and the other background calls send again later on a 5xx answer.
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        return {"error": "database_busy" if busy else "storage_unavailable"}, 503
    page = redraw_refused_form(refusal)
    if page is not None:
        return page
    return render_template("error.html", code=503, message=gettext(str(refusal))), 503


def _server_error(error: Exception) -> ResponseReturnValue:
    if is_storage_failure(error):
        return _storage_refused(error)
    current_app.logger.exception("Unhandled error on %s", request.path)
    message = gettext(
        "Ett oväntat fel inträffade. Inget du redan har sparat har försvunnit. "
        "Försök igen eller kontakta administratören."
    )
    return render_template("error.html", code=500, message=message), 500


class RowIdConverter(IntegerConverter):
    """An <int:…> in an address, bounded by the smallest integer column (PostgreSQL's integer).

    A misread QR or a typed address with a longer number is then not found (404), instead of
    overflowing the database driver (500).
    """

    def __init__(self, url_map: Map, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("max", MAX_ROW_ID)
        super().__init__(url_map, *args, **kwargs)  # type: ignore[arg-type]


def init_web(app: Flask) -> None:
    """Register the address converter, template globals, filters and error handlers."""
    # Before any blueprint is registered: rules take their converter when added.
    app.url_map.converters["int"] = RowIdConverter
    from .cases import display, laterality, waiting
    from .catchup.identities import earlier_identities_of
    from .draft_origin import continued_draft_base, continued_draft_origin
    from .history_labels import ENTITY_LABELS

    app.jinja_env.globals.update(
        patient_summary=display.patient_summary,
        patient_id_display=display.patient_id_display,
        patient_age=display.patient_age,
        earlier_identities_of=earlier_identities_of,
        case_is_overdue=waiting.case_is_overdue,
        ANSWER_LABELS=display.ANSWER_LABELS,
        ARRIVAL_LABELS=display.ARRIVAL_LABELS,
        PACS_LABELS=display.PACS_LABELS,
        MOBILITY_LABELS=display.MOBILITY_LABELS,
        CONTRAST_ROUTE_LABELS=display.CONTRAST_ROUTE_LABELS,
        SEX_LABELS=display.SEX_LABELS,
        ID_KIND_LABELS=display.ID_KIND_LABELS,
        side_label=laterality.side_label,
        side_short=laterality.side_short,
        sides_differ=laterality.sides_differ,
        side_word_in_text=laterality.side_word_in_text,
        SIDE_WORDS=" ".join(sorted(laterality.SIDE_WORDS)),
        _=gettext,
        LANGUAGES=LANGUAGES,
        current_language=current_language,
        sv_lang=sv_lang,
        STATUS_LABELS=STATUS_LABELS,
        ROLE_LABELS=ROLE_LABELS,
        action_label=action_label,
        ENTITY_LABELS=ENTITY_LABELS,
        local_now=local_now,
        saved_form_key=saved_form_key,
        continued_draft_origin=continued_draft_origin,
        continued_draft_base=continued_draft_base,
        log_label=shown_label,
        log_note=shown_note,
    )
    app.jinja_env.filters["localtime"] = local_time
    app.jinja_env.filters["localtime_marked"] = local_time_marked
    app.jinja_env.filters["localtime_dated"] = local_time_dated
    app.jinja_env.filters["sv"] = in_swedish
    app.jinja_env.filters["minutes_since"] = minutes_since
    app.jinja_env.filters["duration"] = duration_text
    app.jinja_env.filters["waited"] = waiting_text
    app.jinja_env.filters["clean_attrs"] = clean_attrs
    app.jinja_env.filters["decimal"] = decimal_text
    app.jinja_env.filters["tel_uri"] = tel_uri
    app.register_error_handler(CSRFError, csrf_refused)
    app.register_error_handler(HTTPException, _error_page)
    app.register_error_handler(Exception, _server_error)

    @app.context_processor
    def _inject() -> dict[str, object]:
        return {"user": g.get("user"), "site_config": g.get("site_config"), "_": translator()}
