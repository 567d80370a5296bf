"""Protective marking: an audience's clearance (and its own `marking`) -> the words every page
of its outputs carries, in the output's language.

Readers of a confidential brief must be told so on every page, not only on the cover: a
page copied or forwarded on its own still says who may read it. The default follows the
clearance ("Internal: not for distribution", "Confidential: {audience} only"); an
audience's `marking` replaces it, and is the only way a public output gets one. Templates
show `audience.marking` on the cover and as a banner, in the PDF's margin boxes and (as
<meta name="briefgen:marking">) in the DOCX headers and footers.
"""

from __future__ import annotations

from .i18n import Localizer


def N_(message: str) -> str:
    """Marks a label for extraction into the catalogs; translated where it is used."""
    return message


DEFAULT_MARKINGS = {
    "internal": N_("Internal: not for distribution"),
    "confidential": N_("Confidential: {audience} only"),
}


def marking_text(custom: str | None, clearance: str, audience_name: str, localizer: Localizer) -> str | None:
    """The marking of an output: the audience's own (already in the output's language), else
    the default for its clearance translated; None for a public audience without one."""
    if custom and custom.strip():
        return " ".join(custom.split())
    default = DEFAULT_MARKINGS.get(clearance)
    if default is None:
        return None
    return localizer.gettext(default).format(audience=audience_name)
