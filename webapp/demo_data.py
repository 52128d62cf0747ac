"""Fictional content for the demo drill: staff, referrers, clinical texts, doses, and the
referral safety facts and exam documentation drawn from them (patients: demo_patients.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from random import Random
from typing import Any

from .demo_patients import PatientPlan
from .siteconfig import Exam, SiteConfig

# Every name, number and unit below is made up; fax/phone numbers use the fictional 0999 area.


@dataclass(frozen=True)
class StaffSpec:
    username: str
    display_name: str
    role: str


DEMO_STAFF = (
    StaffSpec("demo-rsk1", "Märta Åkesson", "radiographer"),
    StaffSpec("demo-rsk2", "Jöns Björklund", "radiographer"),
    StaffSpec("demo-rsk3", "Linnéa Sjöström", "radiographer"),
    StaffSpec("demo-rad1", "Göran Älvsjö", "radiologist"),
    StaffSpec("demo-rad2", "Åsa Wärnberg", "radiologist"),
    StaffSpec("demo-sek1", "Birgitta Öhman", "secretary"),
    StaffSpec("demo-sek2", "Sölve Ängström", "secretary"),
    StaffSpec("demo-admin", "Karin Löfgren", "admin"),
)


@dataclass(frozen=True)
class Referrer:
    unit: str
    clinician: str
    phone: str
    reply_fax: str


REFERRERS = {
    "akut": Referrer("Akutmottagningen", "Pär Hällström, ST-läkare", "0999-710 00", "0999-710 01"),
    "med12": Referrer(
        "Medicinakuten avd 12", "Sara Öhrn, underläkare", "0999-712 40", "0999-712 41"
    ),
    "orto": Referrer("Ortopeden avd 31", "Anders Kåberg, överläkare", "0999-731 10", "0999-731 11"),
    "iva": Referrer("IVA", "Ylva Strömberg, specialistläkare", "0999-740 20", "0999-740 21"),
    "kir": Referrer("Kirurgakuten avd 22", "Måns Lövgren, ST-läkare", "0999-722 30", "0999-722 31"),
    "neuro": Referrer(
        "Strokeenheten avd 8", "Elin Bäckman, överläkare", "0999-708 50", "0999-708 51"
    ),
    "vc": Referrer(
        "Vårdcentralen Ängsbacken", "Gunnar Sköld, distriktsläkare", "0999-780 00", "0999-780 09"
    ),
}


@dataclass(frozen=True)
class Indication:
    """One plausible reason to ask for an exam: who asks, what they ask, what happened."""

    referrers: tuple[str, ...]
    question: str
    history: str


INDICATIONS: dict[str, tuple[Indication, ...]] = {
    "CR-THX": (
        Indication(("akut", "med12"), "Pneumoni?", "Feber 39,2 sedan 3 dagar, hosta, CRP 180."),
        Indication(("iva",), "Tubläge? Pneumothorax?", "Intuberad i natt, CVK höger v. jugularis."),
        Indication(("med12", "vc"), "Stas? Pleuravätska?", "Känd hjärtsvikt, ökande andfåddhet."),
    ),
    "CR-HOFT": (
        Indication(
            ("akut", "orto"),
            "Fraktur?",
            "Fallit i hemmet, smärta vänster ljumske, utåtroterat och förkortat ben.",
        ),
        Indication(("orto",), "Läge efter reposition?", "Luxerad höftprotes, reponerad på akuten."),
    ),
    "CR-HAND": (
        Indication(("akut", "orto"), "Fraktur?", "Fall på utsträckt hand, svullnad över radius."),
        Indication(("akut",), "Fraktur? Främmande kropp?", "Klämskada i dörr, sår dig II."),
    ),
    "CT-HJ": (
        Indication(("akut", "neuro"), "Blödning? Infarkt?", "Plötslig yrsel och dysartri i 2 h."),
        Indication(("akut",), "Blödning? Fraktur?", "Fallit i trappa, medvetandepåverkad, Waran."),
    ),
    "CT-HJA": (
        Indication(
            ("neuro", "akut"),
            "Ocklusion? Trombektomiindikation?",
            "Debut 40 min sedan av högersidig svaghet och afasi. NIHSS 14.",
        ),
    ),
    "CT-TAB": (
        Indication(("kir", "akut"), "Perforation? Abscess?", "Akut buksmärta, feber, peritonit."),
        Indication(("iva", "kir"), "Fokus?", "Septisk chock utan känt fokus, laktat 5,1."),
        Indication(("akut",), "Skador?", "Trafikolycka, bilförare, hög hastighet."),
    ),
    "CT-LE": (
        Indication(
            ("akut", "med12"),
            "Lungemboli?",
            "Plötslig andnöd och bröstsmärta, takykard, D-dimer förhöjt.",
        ),
        Indication(
            ("orto", "med12"),
            "Lungemboli?",
            "Opererad för höftfraktur för 5 dagar sedan, nu hypoxi och takypné.",
        ),
    ),
    "MR-HJ": (
        Indication(("neuro",), "Infarkt? Tumör?", "Nytillkomna kramper, DT utan säker orsak."),
        Indication(("neuro", "akut"), "Sinustrombos?", "Tilltagande huvudvärk, p-piller."),
    ),
    "MR-RYGG": (
        Indication(
            ("akut", "orto"),
            "Cauda equina?",
            "Ryggsmärta med sadelanestesi och urinretention sedan i morse.",
        ),
        Indication(("orto",), "Spondylodiskit?", "Feber och tilltagande ländryggssmärta."),
    ),
    "US-BUK": (
        Indication(("kir", "akut"), "Kolecystit?", "Smärta höger arcus, feber, Murphys tecken."),
        Indication(("kir",), "Appendicit?", "Smärta höger fossa, ung kvinna, CRP 45."),
        Indication(("med12",), "Hydronefros?", "Stigande kreatinin, minskad diures."),
    ),
}
# For a site whose catalogue has exams the demo has no text for.
GENERIC_INDICATION = Indication(("akut", "med12"), "Oklart status?", "Akut försämring.")

PRIORITY_WEIGHTS = (0.5, 0.35, 0.15)  # most urgent first: downtime referrals are mostly acute


@dataclass(frozen=True)
class ExamProfile:
    """Plausible ranges for the documentation form of one kind of exam."""

    minutes: tuple[int, int]
    series: tuple[int, int]
    images: tuple[int, int]
    dlp: tuple[float, float] | None = None
    ctdivol: tuple[float, float] | None = None
    dap: tuple[float, float] | None = None
    contrast_ml: tuple[int, int] | None = None


EXAM_PROFILES = {
    "CR-THX": ExamProfile((3, 6), (1, 2), (1, 2), dap=(0.05, 0.2)),
    "CR-HOFT": ExamProfile((5, 10), (1, 2), (2, 4), dap=(0.6, 2.2)),
    "CR-HAND": ExamProfile((3, 8), (1, 1), (2, 4), dap=(0.01, 0.05)),
    "CT-HJ": ExamProfile((4, 8), (2, 4), (150, 300), dlp=(750, 1050), ctdivol=(45, 60)),
    "CT-HJA": ExamProfile(
        (8, 15), (4, 6), (600, 1200), dlp=(1300, 1900), ctdivol=(40, 60), contrast_ml=(50, 70)
    ),
    "CT-TAB": ExamProfile(
        (8, 15), (3, 5), (500, 1100), dlp=(450, 900), ctdivol=(8, 15), contrast_ml=(80, 110)
    ),
    "CT-LE": ExamProfile(
        (6, 12), (3, 4), (300, 700), dlp=(200, 450), ctdivol=(5, 12), contrast_ml=(60, 80)
    ),
    "MR-HJ": ExamProfile((20, 35), (6, 10), (250, 700)),
    "MR-RYGG": ExamProfile((20, 30), (5, 8), (200, 500)),
    "US-BUK": ExamProfile((10, 25), (1, 1), (10, 40)),
}
MODALITY_PROFILES = {
    "CR": EXAM_PROFILES["CR-THX"],
    "CT": EXAM_PROFILES["CT-HJ"],
    "MR": EXAM_PROFILES["MR-HJ"],
    "US": EXAM_PROFILES["US-BUK"],
}
DEFAULT_PROFILE = ExamProfile((10, 20), (1, 3), (5, 50))
CONTRAST_AGENT = "Omnipaque 350 mg I/ml"
# A department works through a few packages' batches at a time; picked from the case's serial,
# not the generator, so adding them left every other demo value as it was.
CONTRAST_BATCHES = ("OM24K117", "OM24K203", "OM25A014")

CANCEL_REASONS = (
    "Dubblettremiss – samma undersökning redan registrerad.",
    "Remittenten återkallade remissen; patienten överflyttad till annat sjukhus.",
    "Patienten kunde inte medverka; ny remiss skrivs efter driftstoppet.",
    "Undersökningen ersatt av annan metod efter samråd med radiolog.",
)
IDENTITY_REASONS = (
    "Identifierad av anhörig; ID-kontroll med körkort.",
    "Identitet bekräftad via ambulansjournal och ID-handling.",
)
IMPLANT_NOTES = (
    "Höftprotes vänster (titan)",
    "Stent i höger kranskärl",
    "Kokleaimplantat, MR-villkorat",
)
EXAM_NOTES = (
    "Patienten orolig, anhörig närvarande.",
    "Bilderna kontrollerade på modaliteten före PACS-sändning.",
    "Flyttad till annat rum p.g.a. kö.",
)


# --- referral safety facts and exam documentation ---


def needs(config: SiteConfig, exam: Exam, patient: PatientPlan, today: date) -> dict[str, bool]:
    """Which safety facts the referral form demands for this exam and patient."""
    modality = config.modality(exam.modality)
    age = patient.age(today)
    # The form asks at the site's ages; a year's margin either side so a birthday between
    # planning and a later re-validation never leaves the answer missing.
    ages = config.pregnancy_ages
    may_be_pregnant = patient.sex != "M" and (
        age is None or ages.youngest - 1 <= age <= ages.oldest + 1
    )
    return {
        "contrast": exam.contrast,
        "mr": exam.mr_safety or bool(modality and modality.mr_safety),
        "pregnancy": may_be_pregnant and (exam.pregnancy or bool(modality and modality.pregnancy)),
    }


INFECTIONS = ("MRSA", "ESBL", "VRE", "Calicivirus", "Covid-19", "C. difficile")


def care_facts(rng: Random) -> dict[str, str]:
    """Infection and mobility as referrals give them: mostly Nej or blank, sometimes isolation."""
    infection = rng.choices(["", "no", "unknown", "yes"], [4, 10, 1, 1])[0]
    mobility = rng.choices(["", "walks", "wheelchair", "bed", "stretcher"], [3, 4, 2, 3, 1])[0]
    note = rng.choice(INFECTIONS) if infection == "yes" else ""
    return {"infection": infection, "infection_note": note, "mobility": mobility}


def safety_facts(rng: Random, need: dict[str, bool], today: date) -> dict[str, Any]:
    """Safety answers that satisfy the form's rule, with realistic variety."""
    facts: dict[str, Any] = {
        "contrast_allergy": "",
        "egfr": None,
        "creatinine": None,
        "kidney_measured_on": None,
        "kidney_unknown": False,
        "metformin": "",
        "pregnancy": "",
        "pacemaker": "",
        "implants": "",
        "implants_note": "",
    }
    if need["contrast"]:
        facts["contrast_allergy"] = rng.choices(["no", "unknown", "yes"], [8, 2, 1])[0]
        facts["metformin"] = rng.choices(["no", "yes", "unknown"], [6, 2, 1])[0]
        if rng.random() < 0.15:
            facts["kidney_unknown"] = True  # acute patient, no lab yet
        else:
            facts["egfr"] = float(rng.randint(35, 110))
            facts["creatinine"] = float(rng.randint(55, 160))
            facts["kidney_measured_on"] = today - timedelta(days=rng.randint(0, 20))
    if need["mr"]:
        facts["pacemaker"] = rng.choices(["no", "unknown"], [9, 1])[0]
        facts["implants"] = rng.choices(["no", "yes"], [4, 1])[0]
        if facts["implants"] == "yes":
            facts["implants_note"] = rng.choice(IMPLANT_NOTES)
    if need["pregnancy"]:
        facts["pregnancy"] = rng.choices(["no", "unknown"], [5, 1])[0]
    return facts


def plan_exam(
    rng: Random, config: SiteConfig, exam: Exam, arrived_at: datetime, serial: int
) -> dict[str, Any]:
    """The documentation dict, keyed like the view's EXAM_FIELDS, with doses for the modality."""
    profile = EXAM_PROFILES.get(exam.code, MODALITY_PROFILES.get(exam.modality, DEFAULT_PROFILE))
    modality = config.modality(exam.modality)
    rooms = modality.rooms if modality and modality.rooms else ("",)
    room_index = rng.randrange(len(rooms))
    started_at = arrived_at + timedelta(minutes=rng.randint(8, 25))
    ended_at = started_at + timedelta(minutes=rng.randint(*profile.minutes))
    pacs_status = rng.choices(["yes", "failed"], [12, 1])[0]
    radiographers = [s.display_name for s in DEMO_STAFF if s.role == "radiographer"]

    def between(bounds: tuple[float, float] | None, digits: int = 1) -> float | None:
        return round(rng.uniform(*bounds), digits) if bounds else None

    contrast = exam.contrast and profile.contrast_ml is not None
    return {
        "modality": exam.modality,
        "room": rooms[room_index],
        "exam_code": exam.code,
        "exam_text": exam.name,
        "started_at": started_at,
        "ended_at": ended_at,
        "radiographers": ", ".join(rng.sample(radiographers, rng.choice([1, 1, 2]))),
        # What the radiographer typed on the modality; later matched to the images in PACS.
        "modality_temp_id": f"TMP-{exam.modality}{room_index + 1}-{serial:04d}",
        "contrast_agent": CONTRAST_AGENT if contrast else "",
        "contrast_volume_ml": float(rng.randint(*profile.contrast_ml))
        if contrast and profile.contrast_ml
        else None,
        "contrast_route": "iv" if contrast else "",
        "contrast_batch": CONTRAST_BATCHES[serial % len(CONTRAST_BATCHES)] if contrast else "",
        "contrast_batch_unknown": False,
        # Weighed before a contrast dose; not asked otherwise.
        "patient_weight_kg": float(55 + serial * 7 % 45) if contrast else None,
        "dlp_mgycm": between(profile.dlp, 0),
        "ctdivol_mgy": between(profile.ctdivol),
        "dap_gycm2": between(profile.dap, 2),
        "fluoro_seconds": None,
        "series_count": rng.randint(*profile.series),
        "image_count": rng.randint(*profile.images),
        "pacs_status": pacs_status,
        "pacs_sent_at": ended_at + timedelta(minutes=2) if pacs_status == "yes" else None,
        "complications": "",
        "notes": rng.choice(EXAM_NOTES) if rng.random() < 0.2 else "",
    }


def drill_scenario(config: SiteConfig) -> str:
    """The scenario a drill runs when none is named: the example's OM/RIS outage, else the
    site's first (a department's own file has its own scenario keys)."""
    return "om_ris" if "om_ris" in config.scenarios else next(iter(config.scenarios), "om_ris")
