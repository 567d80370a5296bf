"""Case labels: a case as select.py gives it + a Localizer -> the words a reader sees for its
status and its facts, in the output's language.

Status words agree with the person's gender where the language needs it (Russian
"Задержан"/"Задержана", French "Détenu"/"Détenue"): such labels are in the catalogs three
times, neutral and under the contexts "female" and "male" (i18n.Localizer.gendered). The
facts block of the dossier (`case_facts`) is a list of rows, label and value, the same for
the PDF and the DOCX since both are made from one HTML document.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup, escape

from .i18n import Localizer


def N_(message: str) -> str:
    """Marks a label for extraction into the catalogs; translated where it is printed."""
    return message


def NP_(context: str, message: str) -> str:
    """Marks a label's gendered form (context "female" or "male") for extraction."""
    return message


STATUS_LABELS = {
    "detained": N_("Detained"),
    "imprisoned": N_("Imprisoned"),
    "house-arrest": N_("Under house arrest"),
    "travel-ban": N_("Under a travel ban"),
    "released": N_("Released"),
    "pardoned": N_("Pardoned"),
    "acquitted": N_("Acquitted"),
    "exiled": N_("In exile"),
    "deceased": N_("Deceased"),
    "at-risk": N_("At risk"),
}
SENTENCED = N_("sentenced to {duration}")
SENTENCED_SUSPENDED = N_("suspended sentence of {duration}")
RECOGNISED = {
    "political-prisoner": N_("Recognised as a political prisoner by {organisation}"),
    "prisoner-of-conscience": N_("Recognised as a prisoner of conscience by {organisation}"),
    "other": N_("Recognised by {organisation}"),
}

# Every label that Localizer.gendered looks up with a gender, as the extractor must see it:
# one NP_ per form, so that the catalogs hold (and --check demands) both.
_GENDERED_FORMS = (
    NP_("female", "Detained"), NP_("male", "Detained"),
    NP_("female", "Imprisoned"), NP_("male", "Imprisoned"),
    NP_("female", "Under house arrest"), NP_("male", "Under house arrest"),
    NP_("female", "Under a travel ban"), NP_("male", "Under a travel ban"),
    NP_("female", "Released"), NP_("male", "Released"),
    NP_("female", "Pardoned"), NP_("male", "Pardoned"),
    NP_("female", "Acquitted"), NP_("male", "Acquitted"),
    NP_("female", "In exile"), NP_("male", "In exile"),
    NP_("female", "Deceased"), NP_("male", "Deceased"),
    NP_("female", "At risk"), NP_("male", "At risk"),
    NP_("female", "sentenced to {duration}"), NP_("male", "sentenced to {duration}"),
    NP_("female", "suspended sentence of {duration}"), NP_("male", "suspended sentence of {duration}"),
    NP_("female", "Recognised as a political prisoner by {organisation}"),
    NP_("male", "Recognised as a political prisoner by {organisation}"),
    NP_("female", "Recognised as a prisoner of conscience by {organisation}"),
    NP_("male", "Recognised as a prisoner of conscience by {organisation}"),
    NP_("female", "Recognised by {organisation}"), NP_("male", "Recognised by {organisation}"),
)  # fmt: skip

LAWYER_ACCESS = {
    "none": N_("none"),
    "restricted": N_("restricted"),
    "regular": N_("regular"),
}


def status_label(case: Any, localizer: Localizer) -> str:
    """ "Detained", or "Задержана" for a woman in Russian."""
    return localizer.gendered(STATUS_LABELS[case.status], getattr(case, "gender", None))


def sentence_phrase(case: Any, localizer: Localizer) -> str | None:
    """ "sentenced to 7 years 6 months" (gendered), or None without a prison term."""
    sentence = case.sentence
    if sentence is None or not (sentence.years or sentence.months):
        return None
    duration = localizer.format_duration(sentence.years, sentence.months)
    key = SENTENCED_SUSPENDED if sentence.suspended else SENTENCED
    return localizer.gendered(key, getattr(case, "gender", None)).format(duration=duration)


class Row:
    """One line of the facts block: a label and its value (HTML, already escaped)."""

    def __init__(self, label: str, value: Markup, key: str):
        self.label, self.value, self.key = label, value, key


Cite = Callable[[Any], Markup]  # a source Record -> its footnote


def case_facts(case: Any, localizer: Localizer, cite: Cite) -> list[Row]:
    """The facts of a case a documenter records, as labelled rows; empty facts are left out.

    Per person (each prefixed by the name when a case has several subjects): other
    spellings, born, age, region, occupation. Per case: place and regime of detention,
    since when, incommunicado, lawyer access, expected release, designations, recognitions.
    """
    _ = localizer.gettext
    rows: list[Row] = []
    several = len([p for p in case.subjects if not p.withheld]) > 1

    def add(label: str, value: Any, key: str, person: Any = None) -> None:
        if value is None or value == "" or value == []:
            return
        if person is not None and several:
            # Markup's format: a name in another language keeps its lang (langmark.py).
            label = escape(_("{label} ({name})")).format(label=label, name=person.name)
        rows.append(Row(label, value if isinstance(value, Markup) else Markup(escape(value)), key))

    for person in case.subjects:
        if person.withheld:
            continue
        add(_("Other spellings"), ", ".join(person.also_known_as), "also_known_as", person)
        add(_("Born"), localizer.format_date(person.born) if person.born else None, "born", person)
        if person.age is not None:
            age = localizer.ngettext("{n} year", "{n} years", person.age).format(n=person.age)
            add(_("Age"), age, "age", person)
        add(_("Region"), person.region, "region", person)
        add(_("Occupation"), person.occupation, "occupation", person)

    detention = case.detention
    if detention is not None:
        add(_("Place of detention"), detention.place, "place")
        add(_("Detention regime"), detention.regime, "regime")
        since = localizer.format_date(detention.since) if detention.since else None
        add(_("Held there since"), since, "since")
        if detention.incommunicado is not None:
            add(_("Held incommunicado"), _("yes") if detention.incommunicado else _("no"), "incommunicado")
        if detention.lawyer_access:
            add(_("Access to a lawyer"), _(LAWYER_ACCESS[detention.lawyer_access]), "lawyer_access")
    if case.expected_release:
        add(_("Expected release"), localizer.format_date(case.expected_release), "expected_release")

    designations = [_designation(d, localizer, cite) for d in case.designations]
    # Translators: between the items of a list of names ("A; B"); French puts a no-break
    # space before the semicolon.
    separator = Markup(escape(_("; ")))
    add(_("Designations"), separator.join(designations) if designations else None, "designations")
    # A recognition by an organisation this audience may not see is left out with it.
    recognitions = [_recognition(r, case, localizer, cite) for r in case.recognitions if r.by is not None]
    add(_("Recognitions"), separator.join(recognitions) if recognitions else None, "recognitions")
    return rows


def _designation(designation: Any, localizer: Localizer, cite: Cite) -> Markup:
    # Quotation marks as each language writes them: «...» in Russian.
    parts = [escape(localizer.gettext("“{list}”")).format(list=designation.list)]
    if designation.by is not None:
        parts.append(escape(designation.by.name))
    if designation.date:
        parts.append(escape(localizer.format_date(designation.date)))
    text = Markup(", ").join(parts)
    return text + cite(designation.source) if designation.source is not None else text


def _recognition(recognition: Any, case: Any, localizer: Localizer, cite: Cite) -> Markup:
    phrase = localizer.gendered(RECOGNISED[recognition.kind], case.gender)
    text = escape(phrase).format(organisation=recognition.by.name)
    if recognition.date:
        text += Markup(", ") + escape(localizer.format_date(recognition.date))
    return text + cite(recognition.source) if recognition.source is not None else text


TIMELINE_LABELS = {
    "arrest": N_("Arrest"),
    "search": N_("Search"),
    "charge": N_("Charge"),
    "detention": N_("Detention"),
    "detention-extended": N_("Detention extended"),
    "trial": N_("Trial"),
    "verdict": N_("Verdict"),
    "appeal": N_("Appeal"),
    "release": N_("Release"),
    "pardon": N_("Pardon"),
    "travel-ban": N_("Travel ban"),
    "asset-freeze": N_("Asset freeze"),
    "citizenship-revoked": N_("Citizenship revoked"),
    "exile": N_("Exile"),
    "hunger-strike": N_("Hunger strike"),
    "ill-treatment": N_("Ill-treatment"),
    "international": N_("International"),
    "other": N_("Other"),
    # v1.2
    "designation": N_("Designation"),
    "incommunicado": N_("Incommunicado"),
    "transfer": N_("Transfer"),
    "lawyer-denied": N_("Lawyer denied"),
}
