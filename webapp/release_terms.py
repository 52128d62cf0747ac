"""The release-of-images routine's vocabulary: recipients, channels, media, deliveries, labels."""

from __future__ import annotations

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
# What each recipient may get on media unless the site's [routines.release.media] says otherwise.
# Abroad the routine burns a disc ("Vi bränner CD ... Lämna CD-skivan till patient"); hospitals
# within the region get no media at all (they fetch from the archive: the channel rule says so).
DEFAULT_MEDIA_BY_KIND = {
    "patient": MEDIA_KINDS,
    "proxy": MEDIA_KINDS,
    "other_region_hospital": MEDIA_KINDS,
    "private_provider": MEDIA_KINDS,
    "abroad": ("cd", "dvd"),
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
# Templates: the portal and the archive are named as the site's configuration names them
# (filled in by `rules.channel_labels`).
CHANNEL_LABELS = {
    "iep": "%(iep)s",
    "media": "CD/DVD/USB",
    "archive_push": "Skicka till %(archive)s",
}
MEDIA_LABELS = {"cd": "CD", "dvd": "DVD", "usb": "USB"}
DELIVERY_LABELS = {
    "post": "Med post",
    "pickup": "Hämtas i receptionen",
    "with_patient": "Lämnas till patienten / följer med patienten",
}
