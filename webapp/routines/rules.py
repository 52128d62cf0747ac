"""The release-of-images routine as pure functions: what may be released, how, and with what.

Nothing here touches the database or the request; the service feeds in plain values and stores
what the decision says. The refusals' messages are templates (see `refusals`).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..release_terms import (
    CHANNEL_LABELS,
    CHANNELS,
    DEFAULT_MEDIA_BY_KIND,
    DELIVERY_BY_KIND,
    DELIVERY_LABELS,
    MEDIA_KINDS,
    MEDIA_LABELS,
    PRIVATE_USE,
    RECIPIENT_KINDS,
    RECIPIENT_LABELS,
    SIGNED_STATES,
    URGENT_CARE_KINDS,
)
from .refusals import Refusal, Translate, Value, render, swedish


@dataclass(frozen=True)
class ReleaseContext:
    """The site's names that the rules mention, and the outages in which RIS still works."""

    region: str = "regionen"
    archive_name: str = "regionarkivet"
    archive_push_route: str = "teleradiologidestinationen i PACS"
    iep_name: str = "IEP"
    own_region_hospitals: tuple[str, ...] = ()
    billing_unit: str = "fakturaenheten"
    # (recipient kind, the media it may get): the site's [routines.release.media].
    media: tuple[tuple[str, tuple[str, ...]], ...] = tuple(DEFAULT_MEDIA_BY_KIND.items())
    # The scenarios said to have RIS working (ris_works): a release of a case booked in RIS has
    # its note written there at once.
    ris_up_scenarios: tuple[str, ...] = ()

    def media_for(self, kind: str) -> tuple[str, ...]:
        return dict(self.media).get(kind, ())

    def offered_media(self) -> tuple[str, ...]:
        """Every medium some recipient may get: the choices the form offers."""
        allowed = {m for _kind, media in self.media for m in media}
        return tuple(m for m in MEDIA_KINDS if m in allowed)


def media_names(media: tuple[str, ...]) -> str:
    """Media as the routine writes them, "CD/DVD"; the same in every language."""
    return "/".join(MEDIA_LABELS[m] for m in media)


@dataclass(frozen=True)
class ReleaseRequest:
    recipient_kind: str
    channel: str
    # Taken from the case, never from the form: without an exam there are no images.
    has_exam: bool = False
    report_state: str = ""
    # Also the case's: a report or addendum marked "akut fynd" has positive findings.
    has_urgent_finding: bool = False
    recipient_name: str = ""
    media_kind: str = ""
    delivery: str = ""
    is_urgent_care: bool = False
    findings_positive: str = ""
    doctor_cleared_by: str = ""
    billing_recorded: bool = False
    recipient_not_on_iep: bool = False


@dataclass(frozen=True)
class ReleaseDecision:
    refusals: tuple[Refusal, ...] = ()
    includes_report: bool = False
    is_billable: bool = False
    needs_handover: bool = False

    @property
    def allowed(self) -> bool:
        return not self.refusals


def _in_own_region(name: str, ctx: ReleaseContext) -> bool:
    wanted = " ".join(name.lower().split())
    return bool(wanted) and any(
        wanted == " ".join(h.lower().split()) for h in ctx.own_region_hospitals
    )


def _exam_rule(has_exam: bool) -> list[Refusal]:
    # Every way out, the archive push and urgent care included, sends images: none without an exam.
    if has_exam:
        return []
    return [
        Refusal(
            "exam_done",
            "",  # no field to blame: shown above the form
            "Undersökningen är inte gjord – det finns inga bilder att lämna ut.",
            "Dokumentera undersökningen först; bilderna kan lämnas ut när den är gjord.",
        )
    ]


def _report_rule(req: ReleaseRequest, ctx: ReleaseContext) -> list[Refusal]:
    if req.report_state == "definitive" or req.channel == "archive_push":
        return []
    if req.is_urgent_care and req.recipient_kind in URGENT_CARE_KINDS:
        if req.channel == "media" and req.delivery == "post":
            # The exception is for images that go with the patient now; a posted disc does not.
            return [
                Refusal(
                    "urgent_care",
                    "delivery",
                    "Vid akut vårdbesök följer skivan med patienten. Med post lämnas bara "
                    "undersökningar med definitivt signerat utlåtande ut.",
                    "Låt skivan följa med patienten, skicka via %(iep)s, eller vänta tills "
                    "utlåtandet är definitivt signerat.",
                    _names(ctx),
                )
            ]
        return []
    return [
        Refusal(
            "definitive_report",
            "recipient_kind",
            "Bara undersökningar med definitivt signerat utlåtande får lämnas ut.",
            "Vänta tills utlåtandet är definitivt signerat. Följer bilderna med patienten till "
            "akut vård på sjukhus utanför regionen eller utomlands, markera akut vårdbesök: då "
            "skickas bilderna och utlåtandet bara om det är signerat.",
        )
    ]


def _names(ctx: ReleaseContext) -> dict[str, Value]:
    return {
        "region": ctx.region,
        "archive": ctx.archive_name,
        "route": ctx.archive_push_route,
        "iep": ctx.iep_name,
    }


def _channel_rules(req: ReleaseRequest, ctx: ReleaseContext) -> list[Refusal]:
    out: list[Refusal] = []
    kind, channel = req.recipient_kind, req.channel
    names = _names(ctx)
    if kind == "own_region_hospital" and channel != "archive_push":
        out.append(
            Refusal(
                "own_region_archive",
                "channel",
                "Inga bilder via %(iep)s och inga skivor till sjukhus inom %(region)s.",
                "Sjukhusen inom %(region)s hämtar bilderna från %(archive)s. Är undersökningen "
                "inte arkiverad än (utlåtandet inte definitivt), välj 'Skicka till "
                "%(archive)s' via %(route)s.",
                names,
            )
        )
    if channel == "archive_push" and kind != "own_region_hospital":
        out.append(
            Refusal(
                "archive_own_region_only",
                "channel",
                "%(archive)s når bara sjukhus inom %(region)s.",
                "Välj %(iep)s eller CD/DVD/USB.",
                names,
            )
        )
    if kind in ("other_region_hospital", "private_provider") and _in_own_region(
        req.recipient_name, ctx
    ):
        out.append(
            Refusal(
                "own_region_archive",
                "recipient_name",
                "%(name)s ligger inom %(region)s.",
                "Välj 'Sjukhus inom den egna regionen': bilderna hämtas från %(archive)s.",
                {**names, "name": req.recipient_name},
            )
        )
    if kind == "abroad" and channel != "media":
        out.append(
            Refusal(
                "abroad_media_only",
                "channel",
                "Bilder kan inte skickas via %(iep)s till utlandet.",
                "Bränn en %(media)s och lämna den till patienten.",
                {**names, "media": media_names(ctx.media_for("abroad"))},
            )
        )
    if kind == "proxy" and channel != "media":
        out.append(
            Refusal(
                "proxy_media_only",
                "channel",
                "Ett ombud hämtar en skiva eller ett USB-minne i receptionen.",
                "Välj CD/DVD/USB, eller skicka via %(iep)s till patienten själv.",
                names,
            )
        )
    iep_first = kind in ("other_region_hospital", "private_provider") and not req.is_urgent_care
    if iep_first and channel == "media" and not req.recipient_not_on_iep:
        out.append(
            Refusal(
                "iep_first",
                "recipient_not_on_iep",
                "Bilder skickas i första hand via %(iep)s.",
                "Välj %(iep)s, eller bekräfta att mottagaren inte är ansluten.",
                names,
            )
        )
    return out


def _media_rules(req: ReleaseRequest, ctx: ReleaseContext) -> list[Refusal]:
    if req.channel != "media":
        return []
    out: list[Refusal] = []
    # Empty for a hospital within the region: the channel rule already says why.
    media = ctx.media_for(req.recipient_kind)
    if req.media_kind not in MEDIA_KINDS:
        out.append(
            Refusal(
                "media_kind",
                "media_kind",
                "Välj media: %(media)s.",
                "",
                {"media": media_names(media or ctx.offered_media())},
            )
        )
    elif media and req.media_kind not in media:
        out.append(
            Refusal(
                "media_not_allowed",
                "media_kind",
                "Till %(recipient)s lämnas bara %(media)s ut, inte %(medium)s.",
                "Bränn en %(media)s i stället.",
                {
                    "medium": MEDIA_LABELS[req.media_kind],
                    "recipient": (RECIPIENT_LABELS[req.recipient_kind],),
                    "media": media_names(media),
                },
            )
        )
    allowed = DELIVERY_BY_KIND.get(req.recipient_kind, ())
    # No media goes to a recipient with no way of handing it over: the channel rule says so.
    if allowed and req.delivery not in allowed:
        out.append(
            Refusal(
                "delivery",
                "delivery",
                "Det sättet att lämna ut skivan passar inte mottagaren.",
                "Välj: %(ways)s.",
                {"ways": tuple(DELIVERY_LABELS[d] for d in allowed)},
            )
        )
    return out


def _private_use_rules(req: ReleaseRequest, ctx: ReleaseContext) -> list[Refusal]:
    if req.recipient_kind not in PRIVATE_USE:
        return []
    out: list[Refusal] = []
    if req.findings_positive not in ("yes", "no"):
        out.append(
            Refusal(
                "doctor_clearance",
                "findings_positive",
                "Ange om undersökningen har positiva fynd.",
                "Läs utlåtandet; vid osäkerhet, rådgör med läkare.",
            )
        )
    elif req.findings_positive == "no" and req.has_urgent_finding:
        out.append(
            Refusal(
                "doctor_clearance",
                "findings_positive",
                "Utlåtandet har ett akut fynd – det är ett positivt fynd.",
                "Välj Ja, rådgör med läkare och skriv vem som godkände utlämnandet.",
            )
        )
    elif req.findings_positive == "yes" and not req.doctor_cleared_by.strip():
        out.append(
            Refusal(
                "doctor_clearance",
                "doctor_cleared_by",
                "Vid positiva fynd ska läkare rådfrågas innan bilderna lämnas ut till patienten.",
                "Rådgör med läkare och skriv vem som godkände utlämnandet.",
            )
        )
    if not req.billing_recorded:
        out.append(
            Refusal(
                "billing_record",
                "billing_recorded",
                "Utlämnande för privat bruk kräver ett fakturaunderlag.",
                "Skriv fakturaunderlaget i RIS och skicka det till %(billing_unit)s; "
                "bocka sedan i rutan.",
                {"billing_unit": ctx.billing_unit},
            )
        )
    return out


def case_refusals(*, has_exam: bool, is_cancelled: bool) -> tuple[Refusal, ...]:
    """What stops every release of the case whatever is chosen, known before the form is filled."""
    if is_cancelled:
        return (Refusal("case_cancelled", "", "Ärendet är makulerat.", ""),)
    return tuple(_exam_rule(has_exam))


def decide_release(req: ReleaseRequest, ctx: ReleaseContext) -> ReleaseDecision:
    """Check a release request against every rule of the routine."""
    if req.recipient_kind not in RECIPIENT_KINDS:
        return ReleaseDecision(
            (Refusal("recipient_kind", "recipient_kind", "Välj mottagare.", ""),)
        )
    if req.channel not in CHANNELS:
        return ReleaseDecision((Refusal("channel", "channel", "Välj hur bilderna skickas.", ""),))
    missing_exam = _exam_rule(req.has_exam)
    if missing_exam:
        # The other rules (report, channel, billing) would only be noise beside this one.
        return ReleaseDecision(tuple(missing_exam))
    refusals = [
        *_report_rule(req, ctx),
        *_channel_rules(req, ctx),
        *_media_rules(req, ctx),
        *_private_use_rules(req, ctx),
    ]
    in_person = req.channel == "media" and req.delivery in ("pickup", "with_patient")
    return ReleaseDecision(
        refusals=tuple(refusals),
        includes_report=req.channel != "archive_push" and req.report_state in SIGNED_STATES,
        is_billable=req.recipient_kind in PRIVATE_USE,
        needs_handover=req.recipient_kind in PRIVATE_USE and in_person,
    )


def rule_summary() -> tuple[str, ...]:
    """The routine in short, shown beside the release form; filled from `summary_values`."""
    return (
        "Bara undersökningar med definitivt signerat utlåtande lämnas ut (undantag: bilder som "
        "följer med patienten till akut vård utanför regionen eller utomlands).",
        "Svarsutlåtandet bifogas bara om det är definitivt eller preliminärt signerat.",
        "%(iep)s i första hand; CD/DVD/USB om mottagaren inte är ansluten.",
        "Inom %(region)s skickas inga bilder via %(iep)s eller skiva: sjukhusen hämtar från "
        "%(archive)s; ej arkiverade skickas dit via %(route)s.",
        "Till utlandet: bara %(abroad_media)s.",
        "Privat bruk: läkare rådfrågas vid positiva fynd, fakturaunderlag skrivs, patienten "
        "visar ID vid hämtning; ett ombud visar fullmakt och båda ID-handlingarna.",
        "Allt som lämnas ut skrivs i remissanteckningen.",
    )


def summary_values(ctx: ReleaseContext) -> dict[str, Value]:
    """The site's names that the lines of `rule_summary` mention."""
    return {**_names(ctx), "abroad_media": media_names(ctx.media_for("abroad"))}


def media_hint(ctx: ReleaseContext, translate: Translate = swedish) -> str:
    """Beside the media choices: the recipients that may not get every medium offered."""
    offered = ctx.offered_media()
    return " ".join(
        translate(
            "%(recipient)s: bara %(media)s.",
            recipient=translate(RECIPIENT_LABELS[kind]),
            media=media_names(media),
        )
        for kind, media in ctx.media
        if media and media != offered
    )


def channel_labels(ctx: ReleaseContext, translate: Translate = swedish) -> dict[str, str]:
    """Each channel's label in the language of `translate`, naming the site's portal and archive."""
    names = _names(ctx)
    return {key: render(label, names, translate) for key, label in CHANNEL_LABELS.items()}
