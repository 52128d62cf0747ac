"""The release-of-images routine as pure functions: what may be released, how, and the note.

Nothing here touches the database or the request; the service feeds in plain values and stores
what the decision says. Messages are Swedish (the UI translates them at display).
"""

from __future__ import annotations

from dataclasses import dataclass

RECIPIENT_KINDS = (
    "patient",
    "proxy",
    "own_region_hospital",
    "other_region_hospital",
    "private_provider",
    "abroad",
)
PRIVATE_USE = ("patient", "proxy")
HOSPITAL_KINDS = ("own_region_hospital", "other_region_hospital", "private_provider")
# Urgent care elsewhere is the one case where images leave before the report is definitive.
URGENT_CARE_KINDS = ("other_region_hospital", "abroad")
CHANNELS = ("iep", "media", "archive_push")
MEDIA_KINDS = ("cd", "dvd", "usb")
DELIVERIES = ("post", "pickup", "with_patient")
DELIVERY_BY_KIND = {
    "patient": ("post", "pickup"),
    "proxy": ("pickup",),
    "other_region_hospital": ("with_patient", "post"),
    "private_provider": ("post", "with_patient"),
    "abroad": ("with_patient",),
    "own_region_hospital": (),
}
SIGNED_STATES = ("preliminary", "definitive")

RECIPIENT_LABELS = {
    "patient": "Patienten (privat bruk)",
    "proxy": "Ombud som hämtar åt patienten",
    "own_region_hospital": "Sjukhus inom den egna regionen",
    "other_region_hospital": "Sjukhus utanför regionen",
    "private_provider": "Privat vårdgivare",
    "abroad": "Patient bosatt utomlands / vård utomlands",
}
CHANNEL_LABELS = {
    "iep": "IEP",
    "media": "CD/DVD/USB",
    "archive_push": "Skicka till regionarkivet",
}
MEDIA_LABELS = {"cd": "CD", "dvd": "DVD", "usb": "USB"}
DELIVERY_LABELS = {
    "post": "Med post",
    "pickup": "Hämtas i receptionen",
    "with_patient": "Lämnas till patienten / följer med patienten",
}


@dataclass(frozen=True)
class ReleaseContext:
    """The site's names that the rules mention."""

    region: str = "regionen"
    archive_name: str = "regionarkivet"
    archive_push_route: str = "teleradiologidestinationen i PACS"
    iep_name: str = "IEP"
    own_region_hospitals: tuple[str, ...] = ()
    billing_unit: str = "fakturaenheten"


@dataclass(frozen=True)
class ReleaseRequest:
    recipient_kind: str
    channel: str
    report_state: str = ""
    recipient_name: str = ""
    media_kind: str = ""
    delivery: str = ""
    is_urgent_care: bool = False
    findings_positive: str = ""
    doctor_cleared_by: str = ""
    billing_recorded: bool = False
    recipient_not_on_iep: bool = False


@dataclass(frozen=True)
class Refusal:
    """One rule that stops the release: which rule, why, and what to do instead."""

    rule: str
    field: str
    message: str
    instead: str


@dataclass(frozen=True)
class ReleaseDecision:
    refusals: tuple[Refusal, ...] = ()
    includes_report: bool = False
    is_billable: bool = False
    needs_handover: bool = False

    @property
    def allowed(self) -> bool:
        return not self.refusals


@dataclass(frozen=True)
class Handover:
    """What was checked when the media was handed over in person."""

    recipient_kind: str
    patient_id_checked: bool = False
    proxy_name: str = ""
    proxy_id_checked: bool = False
    power_of_attorney: bool = False


def _in_own_region(name: str, ctx: ReleaseContext) -> bool:
    wanted = " ".join(name.lower().split())
    return bool(wanted) and any(
        wanted == " ".join(h.lower().split()) for h in ctx.own_region_hospitals
    )


def _report_rule(req: ReleaseRequest) -> list[Refusal]:
    if req.report_state == "definitive" or req.channel == "archive_push":
        return []
    if req.is_urgent_care and req.recipient_kind in URGENT_CARE_KINDS:
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


def _channel_rules(req: ReleaseRequest, ctx: ReleaseContext) -> list[Refusal]:
    out: list[Refusal] = []
    kind, channel = req.recipient_kind, req.channel
    if kind == "own_region_hospital" and channel != "archive_push":
        out.append(
            Refusal(
                "own_region_archive",
                "channel",
                f"Inga bilder via IEP och inga skivor till sjukhus inom {ctx.region}.",
                f"Sjukhusen inom {ctx.region} hämtar bilderna från {ctx.archive_name}. Är "
                f"undersökningen inte arkiverad än (utlåtandet inte definitivt), välj "
                f"'Skicka till regionarkivet' via {ctx.archive_push_route}.",
            )
        )
    if channel == "archive_push" and kind != "own_region_hospital":
        out.append(
            Refusal(
                "archive_own_region_only",
                "channel",
                f"{ctx.archive_name} når bara sjukhus inom {ctx.region}.",
                f"Välj {ctx.iep_name} eller CD/DVD/USB.",
            )
        )
    if kind in ("other_region_hospital", "private_provider") and _in_own_region(
        req.recipient_name, ctx
    ):
        out.append(
            Refusal(
                "own_region_archive",
                "recipient_name",
                f"{req.recipient_name} ligger inom {ctx.region}.",
                f"Välj 'Sjukhus inom den egna regionen': bilderna hämtas från {ctx.archive_name}.",
            )
        )
    if kind == "abroad" and channel != "media":
        out.append(
            Refusal(
                "abroad_media_only",
                "channel",
                f"Bilder kan inte skickas via {ctx.iep_name} till utlandet.",
                "Bränn en CD/DVD/USB och lämna den till patienten.",
            )
        )
    if kind == "proxy" and channel != "media":
        out.append(
            Refusal(
                "proxy_media_only",
                "channel",
                "Ett ombud hämtar en skiva eller ett USB-minne i receptionen.",
                f"Välj CD/DVD/USB, eller skicka via {ctx.iep_name} till patienten själv.",
            )
        )
    iep_first = kind in ("other_region_hospital", "private_provider") and not req.is_urgent_care
    if iep_first and channel == "media" and not req.recipient_not_on_iep:
        out.append(
            Refusal(
                "iep_first",
                "recipient_not_on_iep",
                f"Bilder skickas i första hand via {ctx.iep_name}.",
                f"Välj {ctx.iep_name}, eller bekräfta att mottagaren inte är ansluten.",
            )
        )
    return out


def _media_rules(req: ReleaseRequest) -> list[Refusal]:
    if req.channel != "media":
        return []
    out: list[Refusal] = []
    if req.media_kind not in MEDIA_KINDS:
        out.append(Refusal("media_kind", "media_kind", "Ange CD, DVD eller USB.", ""))
    allowed = DELIVERY_BY_KIND.get(req.recipient_kind, ())
    if req.delivery not in allowed:
        names = ", ".join(DELIVERY_LABELS[d].lower() for d in allowed) or "–"
        out.append(
            Refusal(
                "delivery",
                "delivery",
                "Det sättet att lämna ut skivan passar inte mottagaren.",
                f"Välj: {names}.",
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
                f"Skriv fakturaunderlaget i RIS och skicka det till {ctx.billing_unit}; "
                "bocka sedan i rutan.",
            )
        )
    return out


def decide_release(req: ReleaseRequest, ctx: ReleaseContext) -> ReleaseDecision:
    """Check a release request against every rule of the routine."""
    if req.recipient_kind not in RECIPIENT_KINDS:
        return ReleaseDecision(
            (Refusal("recipient_kind", "recipient_kind", "Välj mottagare.", ""),)
        )
    if req.channel not in CHANNELS:
        return ReleaseDecision((Refusal("channel", "channel", "Välj hur bilderna skickas.", ""),))
    refusals = [
        *_report_rule(req),
        *_channel_rules(req, ctx),
        *_media_rules(req),
        *_private_use_rules(req, ctx),
    ]
    in_person = req.channel == "media" and req.delivery in ("pickup", "with_patient")
    return ReleaseDecision(
        refusals=tuple(refusals),
        includes_report=req.channel != "archive_push" and req.report_state in SIGNED_STATES,
        is_billable=req.recipient_kind in PRIVATE_USE,
        needs_handover=req.recipient_kind in PRIVATE_USE and in_person,
    )


def check_handover(h: Handover) -> tuple[Refusal, ...]:
    """ID rules at pickup: the patient's ID; a proxy also shows own ID and a power of attorney."""
    out: list[Refusal] = []
    if not h.patient_id_checked:
        out.append(
            Refusal(
                "id_check",
                "patient_id_checked",
                "Patientens giltiga ID-handling ska visas vid utlämnandet.",
                "Be om ID-handling; utan den lämnas skivan inte ut.",
            )
        )
    if h.recipient_kind == "proxy":
        if not h.proxy_name.strip():
            out.append(Refusal("proxy", "proxy_name", "Ange ombudets namn.", ""))
        if not h.power_of_attorney:
            out.append(
                Refusal(
                    "proxy_power_of_attorney",
                    "power_of_attorney",
                    "Ett ombud ska lämna en fullmakt för utlämnande av röntgenbilder.",
                    "Be om fullmakten; spara den i remisspärmen.",
                )
            )
        if not h.proxy_id_checked:
            out.append(
                Refusal(
                    "proxy_id_check",
                    "proxy_id_checked",
                    "Både ombudets och patientens ID-handling ska visas.",
                    "Be ombudet visa sin egen ID-handling.",
                )
            )
    return tuple(out)


def rule_summary(ctx: ReleaseContext) -> tuple[str, ...]:
    """The routine in short, shown beside the release form."""
    return (
        "Bara undersökningar med definitivt signerat utlåtande lämnas ut (undantag: bilder som "
        "följer med patienten till akut vård utanför regionen eller utomlands).",
        "Svarsutlåtandet bifogas bara om det är definitivt eller preliminärt signerat.",
        f"{ctx.iep_name} i första hand; CD/DVD/USB om mottagaren inte är ansluten.",
        f"Inom {ctx.region} skickas inga bilder via IEP eller skiva: sjukhusen hämtar från "
        f"{ctx.archive_name}; ej arkiverade skickas dit via {ctx.archive_push_route}.",
        "Till utlandet: bara CD/DVD/USB.",
        "Privat bruk: läkare rådfrågas vid positiva fynd, fakturaunderlag skrivs, patienten "
        "visar ID vid hämtning; ett ombud visar fullmakt och båda ID-handlingarna.",
        "Allt som lämnas ut skrivs i remissanteckningen.",
    )
