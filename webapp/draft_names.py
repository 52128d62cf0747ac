"""The names of the codes a draft holds that the site configures, as its forms offer them.

A draft keeps a choice by its code. Its own page, and the lists that tell two alike drafts
apart by what was typed, show the name the form showed: the site's priority and modality, a
release's channel naming the site's portal and archive (set on the form when drawn, so the form
class alone has no label for it).
"""

from __future__ import annotations

from collections.abc import Callable

from .i18n import gettext
from .routines.queries import release_context
from .routines.rules import channel_labels
from .siteconfig import SiteConfig


def code_names(config: SiteConfig) -> dict[str, Callable[[str], str]]:
    """Per field of a draft, the name of a code it holds (drafts.reading.typed_values' named)."""
    channels = channel_labels(release_context(config), gettext)
    return {
        "priority": config.priority_label,
        "modality": config.modality_name,
        "channel": lambda code: channels.get(code, code),
    }
