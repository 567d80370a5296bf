"""The model: typed items of the content format v1 and the project settings (briefgen.yaml).

This is briefgen's shared vocabulary. Pydantic models turn the loaded YAML (where every
scalar arrives as the text written, see load.py) into typed values; the same models give
the JSON Schema that `briefgen schema` prints. Field names and meanings follow
shared/spec/content-format.md exactly; additions are marked "extension".

Types carry what the later checks need: `RefTo(collection)` marks an id that refers to
another item, `MARKDOWN` a markdown text (where citations are looked for), `ASSET` a path
under assets/; `WithJsonSchema` gives each type the JSON Schema an editor should check
against (scalars as an editor parses them: a year is a number, a date is text).
"""

from __future__ import annotations

import difflib
import functools
import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import date as Date
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .diagnostics import Location
from .slugs import SLUG_RE, slug_problem
from .writers import DEFAULT_FORMATS, FORMATS

LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
PARTIAL_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
URL_RE = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
TIME_RE = re.compile(r"^\d{2}:\d{2}$")
TIMEZONE_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
# A citation in markdown: `[@source-id]` or `[@source-id, p. 12]`; group 1 is the source id,
# group 2 the locator. Any id-like text after `[@` counts (so that a mistyped id is reported
# rather than printed), but not `\[@...]` (escaped), not `[@name](url)` (a link) and not an
# e-mail address (`[` must come right before `@`).
CITATION_RE = re.compile(r"(?<!\\)\[@([^\s\[\]@,;]+)(?:\s*,\s*([^\[\]]*?))?\s*\](?!\()")

SENSITIVITY_LEVELS = ("public", "internal", "confidential")
Sensitivity = Literal["public", "internal", "confidential"]

ORGANISATION_KINDS = (
    "ngo", "eu-institution", "government", "court", "media", "intergovernmental", "academic", "other",
)  # fmt: skip
CASE_STATUSES = (
    "detained", "imprisoned", "house-arrest", "travel-ban", "released", "pardoned", "acquitted",
    "exiled", "deceased", "at-risk",
)  # fmt: skip
TIMELINE_TYPES = (
    "arrest", "search", "charge", "detention", "detention-extended", "trial", "verdict", "appeal",
    "release", "pardon", "travel-ban", "asset-freeze", "citizenship-revoked", "exile",
    "hunger-strike", "ill-treatment", "international", "other",
    # v1.2
    "designation", "incommunicado", "transfer", "lawyer-denied",
)  # fmt: skip
GENDERS = ("female", "male", "other")
LAWYER_ACCESS = ("none", "restricted", "regular")
RECOGNITION_KINDS = ("political-prisoner", "prisoner-of-conscience", "other")
SOURCE_TYPES = ("report", "judgment", "decision", "article", "statement", "law", "other")
PRIORITIES = ("high", "medium", "low")
FIGURE_KINDS = ("bar", "column", "line")
# Charts computed from the cases (v1.1); any other name in a brief's `charts` is a figure id.
BUILTIN_CHARTS = ("detention-days", "case-status", "case-timeline")


def sensitivity_rank(level: str) -> int:
    return SENSITIVITY_LEVELS.index(level)


def _slug(value: str) -> str:
    problem = slug_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def _text(value: Any) -> Any:
    # Scalars arrive as the text written (load.py never resolves YAML 1.1 types), so a
    # non-string here is a mapping or a list where a text belongs; let pydantic say so.
    return value


def _single_line(value: str) -> str:
    if "\n" in value.strip():
        raise ValueError("must be a single line of text (use a markdown field for paragraphs)")
    return value


def _not_blank(value: str) -> str:
    # A required text that is empty or only spaces is as good as missing: refused, with its
    # own error type so that typed.py can say which field (or translation) is empty.
    if not value.strip():
        raise PydanticCustomError("blank_text", "a required text is empty")
    return value


def _partial_date(value: str) -> str:
    if not PARTIAL_DATE_RE.match(value):
        raise ValueError("must be a date written YYYY-MM-DD, YYYY-MM or YYYY")
    parts = [int(p) for p in value.split("-")]
    year, month, day = [*parts, 1, 1][:3]
    try:
        Date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"not a real date ({exc})") from None
    return value


def _strict_date(value: Any) -> Any:
    if isinstance(value, str) and not DATE_RE.match(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    if isinstance(value, str):
        year, month, day = (int(p) for p in value.split("-"))
        try:
            return Date(year, month, day)
        except ValueError as exc:
            raise ValueError(f"not a real date ({exc})") from None
    return value


def _time(value: str) -> str:
    if not TIME_RE.match(value):
        raise ValueError("must be a time of day written HH:MM, e.g. 14:30")
    hours, minutes = (int(p) for p in value.split(":"))
    if hours > 23 or minutes > 59:
        raise ValueError("not a real time of day (hours 00-23, minutes 00-59)")
    return value


def _timezone(value: str) -> str:
    if not TIMEZONE_RE.match(value) or not _known_timezone(value):
        close = difflib.get_close_matches(value, sorted(zoneinfo.available_timezones()), n=1)
        example = f"did you mean {close[0]}?" if close else "e.g. Europe/Minsk or Europe/Brussels"
        raise ValueError(f"must be an IANA time zone name ({example})")
    return value


@functools.cache
def _known_timezone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _url(value: str) -> str:
    if not URL_RE.match(value):
        raise ValueError("must be an http:// or https:// address")
    return value


def _country(value: str) -> str:
    if COUNTRY_RE.match(value) and value in country_codes():
        return value
    message = (
        "not an ISO 3166-1 alpha-2 country code"
        if COUNTRY_RE.match(value)
        else "must be an ISO 3166-1 alpha-2 country code in capitals, e.g. AZ"
    )
    raise PydanticCustomError("value_error", message, {"hint": _country_hint(value)})


# Codes babel (CLDR) knows as regions that ISO 3166-1 does not assign to a country:
# "exceptionally reserved" ones (AC, CP, CQ, DG, EA, IC, TA), groupings (EU, EZ, QO, UN),
# pseudo-locales (XA, XB) and "unknown region" (ZZ). XK (Kosovo, user-assigned) is kept:
# it is what the EU and most registries write.
_NOT_COUNTRIES = frozenset(
    {"AC", "CP", "CQ", "DG", "EA", "IC", "TA", "EU", "EZ", "QO", "UN", "XA", "XB", "ZZ"}
)


# The EU's own two-letter codes where they differ from ISO 3166-1 (the Interinstitutional
# Style Guide writes EL for Greece); UK is one of CLDR's aliases already.
_EU_CODES = {"EL": ("GR",)}


@functools.cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes (and XK), from babel's territories; loaded on first use."""
    from babel import Locale

    territories = Locale("en").territories
    return frozenset(c for c in territories if len(c) == 2 and c.isalpha() and c not in _NOT_COUNTRIES)


def _country_hint(value: str) -> str | None:
    """The code meant by a common alias (UK), a lowercase code or an English country name."""
    from babel import Locale
    from babel.core import get_global

    codes = country_codes()
    text = value.strip()
    if text.upper() in codes:
        return f"write it in capitals: {text.upper()}"
    replacements = [c for c in get_global("territory_aliases").get(text.upper(), []) if c in codes]
    replacements = replacements or [c for c in _EU_CODES.get(text.upper(), ()) if c in codes]
    if replacements:
        return f"did you mean {' or '.join(replacements)}?"
    names = {name.casefold(): code for code, name in Locale("en").territories.items() if code in codes}
    if text.casefold() in names:
        return f"did you mean {names[text.casefold()]}?"
    close = difflib.get_close_matches(text.casefold(), names, n=1, cutoff=0.8)
    if len(text) > 2 and close:
        return f"did you mean {names[close[0]]} ({Locale('en').territories[names[close[0]]]})?"
    return "see the list of ISO 3166-1 alpha-2 codes, e.g. BE for Belgium, GB for the United Kingdom"


def _lang(value: str) -> str:
    if not LANG_RE.match(value):
        raise ValueError("must be a language code such as en, ru, az or fr")
    return value


@dataclass(frozen=True)
class RefTo:
    """Marks an id that refers to an item of `collection` ("audiences": those of briefgen.yaml)."""

    collection: str

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> dict[str, Any]:
        return {**handler(core_schema), "description": f"id of an item in {self.collection}"}


@dataclass(frozen=True)
class TextKind:
    """Marks what a text holds: "markdown" (citations are checked) or "asset" (a file)."""

    name: str


MARKDOWN = TextKind("markdown")
ASSET = TextKind("asset")

# JSON Schemas of scalars as an editor's YAML 1.2 parser sees them: unquoted 012345 is a
# number and true a boolean there, but briefgen keeps the text written, so both are fine.
_TEXT_SCHEMA: dict[str, Any] = {"type": ["string", "number", "boolean"]}
_TEXT_JS = {**_TEXT_SCHEMA, "description": "a single line of text"}
_MARKDOWN_JS = {
    **_TEXT_SCHEMA,
    "contentMediaType": "text/markdown",
    "description": "markdown: *emphasis*, [links](https://...), lists, footnotes [^1], "
    "citations [@source-id] or [@source-id, p. 12]",
}
_LANG_JS = {"type": "string", "pattern": LANG_RE.pattern, "description": "a language code: en, ru, az ..."}
_SLUG_JS = {
    "type": "string",
    "pattern": SLUG_RE.pattern,
    "maxLength": 64,
    "description": "a lowercase slug: a-z, 0-9 and single hyphens",
}


def _localized_js(value: dict[str, Any], what: str) -> dict[str, Any]:
    return {
        "anyOf": [
            value,
            {
                "type": "object",
                "propertyNames": {"pattern": LANG_RE.pattern},
                "additionalProperties": value,
                "minProperties": 1,
            },
        ],
        "description": f"{what}, or a mapping from language code to {what}, e.g. {{en: ..., ru: ...}}",
    }


Slug = Annotated[str, AfterValidator(_slug), WithJsonSchema(_SLUG_JS)]
Ref = Annotated[str, AfterValidator(_slug), WithJsonSchema(_SLUG_JS)]  # an id of another item
OrganisationRef = Annotated[Ref, RefTo("organisations")]
PersonRef = Annotated[Ref, RefTo("people")]
CaseRef = Annotated[Ref, RefTo("cases")]
EventRef = Annotated[Ref, RefTo("events")]
RecommendationRef = Annotated[Ref, RefTo("recommendations")]
SourceRef = Annotated[Ref, RefTo("sources")]
RecipientRef = Annotated[Ref, RefTo("recipients")]
AudienceRef = Annotated[Ref, RefTo("audiences")]
Text = Annotated[str, BeforeValidator(_text), AfterValidator(_single_line), WithJsonSchema(_TEXT_JS)]
Markdown = Annotated[str, BeforeValidator(_text), MARKDOWN, WithJsonSchema(_MARKDOWN_JS)]
LangCode = Annotated[str, AfterValidator(_lang), WithJsonSchema(_LANG_JS)]
LocalizedText = Annotated[
    Text | Annotated[dict[LangCode, Text], Field(min_length=1)],
    WithJsonSchema(_localized_js(_TEXT_JS, "text")),
]
LocalizedMarkdown = Annotated[
    Markdown | Annotated[dict[LangCode, Markdown], Field(min_length=1)],
    WithJsonSchema(_localized_js(_MARKDOWN_JS, "markdown")),
]
# Required texts (the fields the format marks required): neither empty nor blank, in every
# language written. A blank translation would print as nothing, so it is refused too rather
# than taken for a missing one.
_REQUIRED_JS = {"pattern": r"\S"}
RequiredText = Annotated[
    str,
    BeforeValidator(_text),
    AfterValidator(_single_line),
    AfterValidator(_not_blank),
    WithJsonSchema({**_TEXT_JS, **_REQUIRED_JS}),
]
RequiredMarkdown = Annotated[
    str,
    BeforeValidator(_text),
    AfterValidator(_not_blank),
    MARKDOWN,
    WithJsonSchema({**_MARKDOWN_JS, **_REQUIRED_JS}),
]
RequiredLocalizedText = Annotated[
    RequiredText | Annotated[dict[LangCode, RequiredText], Field(min_length=1)],
    WithJsonSchema(_localized_js({**_TEXT_JS, **_REQUIRED_JS}, "text")),
]
RequiredLocalizedMarkdown = Annotated[
    RequiredMarkdown | Annotated[dict[LangCode, RequiredMarkdown], Field(min_length=1)],
    WithJsonSchema(_localized_js({**_MARKDOWN_JS, **_REQUIRED_JS}, "markdown")),
]
# A list written once per language ({en: [...], ru: [...]}); languages may differ in length.
LocalizedList = Annotated[dict[LangCode, list[Markdown]], Field(min_length=1)]
PartialDate = Annotated[
    str,
    AfterValidator(_partial_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": PARTIAL_DATE_RE.pattern},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ],
            "description": "a date YYYY-MM-DD, or just YYYY-MM or YYYY",
        }
    ),
]
StrictDate = Annotated[
    Date,
    BeforeValidator(_strict_date),
    WithJsonSchema({"type": "string", "pattern": DATE_RE.pattern, "description": "a date YYYY-MM-DD"}),
]
Url = Annotated[
    str,
    AfterValidator(_url),
    WithJsonSchema({"type": "string", "pattern": URL_RE.pattern, "description": "an http(s) address"}),
]
Country = Annotated[
    str,
    AfterValidator(_country),
    WithJsonSchema(
        {"type": "string", "pattern": COUNTRY_RE.pattern, "description": "ISO 3166-1 alpha-2 code"}
    ),
]
Time = Annotated[
    str,
    AfterValidator(_time),
    WithJsonSchema(
        {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "description": "a time HH:MM"}
    ),
]
TimeZone = Annotated[
    str,
    AfterValidator(_timezone),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": TIMEZONE_RE.pattern,
            "description": "an IANA time zone, e.g. Europe/Minsk",
        }
    ),
]
AssetPath = Annotated[
    str,
    AfterValidator(_single_line),
    ASSET,
    WithJsonSchema(
        {"type": "string", "description": "a file path relative to assets/, e.g. photos/name.jpg"}
    ),
]


class Strict(BaseModel):
    # Validators and serializers are built on first use (a load the content cache does not
    # answer, a JSON Schema): a command answered from the cache only unpickles items, and
    # building them for every class was a third of its start-up (about 0.04 s CPU).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def as_data(value: Any, exclude: set[str] | frozenset[str] = frozenset()) -> Any:
    """What `value.model_dump(exclude=exclude)` gives for the content's models (nested models
    as dicts of every field, in order; containers and scalars as they are), read from the
    fields themselves: pydantic's serializer, which `defer_build` leaves unbuilt, is not
    needed for the texts select and the ledger collect from an item."""
    if isinstance(value, BaseModel):
        return {
            name: as_data(getattr(value, name)) for name in type(value).model_fields if name not in exclude
        }
    if isinstance(value, dict):
        return {key: as_data(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_data(item) for item in value]
    if isinstance(value, tuple):
        return tuple(as_data(item) for item in value)
    return value


class Item(Strict):
    id: Slug = Field(description="unique within its collection; other items refer to it by this id")
    sensitivity: Sensitivity = Field(
        default="public", description="who may see it: public (default), internal or confidential"
    )
    tags: list[Slug] = Field(default=[], description="free labels, e.g. used to pick recipients")


# ---------------------------------------------------------------- collections


class Organisation(Item):
    """An organisation: NGO, EU institution, government, court, media ..."""

    name: RequiredLocalizedText
    short_name: LocalizedText | None = Field(default=None, description="e.g. IPHR")
    addressee: LocalizedText | None = Field(
        default=None,
        description="the name as a heading addressed to it reads, with the article the language "
        'needs: "the European External Action Service" ("To the ..."); per language, default the name',
    )
    kind: Literal[ORGANISATION_KINDS] | None = None  # type: ignore[valid-type]
    country: Country | None = None
    website: Url | None = None
    description: LocalizedMarkdown | None = None
    logo: AssetPath | None = Field(default=None, description="image file relative to assets/")


class Affiliation(Strict):
    """A person's role in an organisation, or a role alone (v1.2: "freelance journalist")."""

    organisation: OrganisationRef | None = Field(
        default=None, description="optional when role is given: nobody must be tied to an organisation"
    )
    role: LocalizedText | None = None

    @model_validator(mode="after")
    def _organisation_or_role(self) -> Affiliation:
        if self.organisation is None and self.role is None:
            raise ValueError("an affiliation needs an organisation, a role or both")
        return self


class Person(Item):
    """A person: a subject of a case, a speaker, an author of a recommendation ..."""

    name: RequiredLocalizedText
    affiliations: list[Affiliation] = Field(default=[], description="current roles first")
    bio: LocalizedMarkdown | None = None
    photo: AssetPath | None = Field(default=None, description="image file relative to assets/")
    photo_alt: LocalizedText | None = Field(
        default=None, description="describes the photo for readers who cannot see it; required with photo"
    )
    pseudonym: LocalizedText | None = Field(
        default=None,
        description="shown instead of the name to audiences not cleared for this person; "
        'default "Name withheld"',
    )
    signature: AssetPath | None = Field(
        default=None, description="image of the person's signature, under a letter they sign"
    )
    # v1.2: what documenters record about a person at risk
    born: PartialDate | None = Field(
        default=None, description="date or year of birth; templates show the age on as_of"
    )
    gender: Literal[GENDERS] | None = Field(  # type: ignore[valid-type]
        default=None, description="female, male or other: used where a language's grammar needs it"
    )
    region: LocalizedText | None = Field(default=None, description="home region or city")
    occupation: LocalizedText | None = Field(
        default=None, description="for a role with no organisation worth naming, e.g. freelance journalist"
    )
    also_known_as: list[Text] = Field(
        default=[],
        description="other spellings and transliterations (court records, lists); withheld like the name",
    )


class Charge(Strict):
    """A criminal charge."""

    # extension: localized (the spec says text), so that a French dossier cites "Code pénal,
    # art. 192"; a plain text is still the project language's, as in every localized field.
    article: LocalizedText | None = Field(default=None, description="e.g. Art. 192.2.2 of the Criminal Code")
    description: RequiredLocalizedText


class Sentence(Strict):
    """The sentence handed down."""

    years: int | None = Field(default=None, ge=0, le=100)
    months: int | None = Field(default=None, ge=0, le=1200)
    date: StrictDate | None = None
    court: LocalizedText | None = Field(  # extension: localized (the spec says text)
        default=None, description='the court that sentenced, e.g. "Baku Grave Crimes Court"'
    )
    suspended: bool = False
    in_absentia: bool = False  # v1.2
    regime: LocalizedText | None = Field(default=None, description='e.g. "strict-regime penal colony"')


class TimelineEntry(Strict):
    """One dated step of a case; shown in date order whatever the order in the file."""

    date: PartialDate
    type: Literal[TIMELINE_TYPES]  # type: ignore[valid-type]
    text: RequiredLocalizedMarkdown
    source: SourceRef | None = None
    sensitivity: Sensitivity = "public"


class Violation(Strict):
    """A right violated."""

    right: LocalizedText | None = Field(  # extension: localized (the spec says text)
        default=None, description='e.g. "ECHR Art. 5"'
    )
    text: LocalizedMarkdown | None = None


class Proceeding(Strict):
    """Proceedings before an (international) body: ECtHR, UN WGAD ..."""

    body: LocalizedText | None = None  # localized: an extension of the spec's text (CEDH, CtEDH)
    reference: Text | None = None
    date: StrictDate | None = None
    status: LocalizedText | None = None  # localized: "application lodged", "requête introduite"
    text: LocalizedMarkdown | None = None
    url: Url | None = None


class Note(Strict):
    """A note on a case; internal unless marked otherwise."""

    text: RequiredLocalizedMarkdown
    sensitivity: Sensitivity = "internal"


class Contact(Strict):
    """A contact for a case; confidential unless marked otherwise."""

    name: RequiredText
    role: Text | None = None
    phone: Text | None = None
    email: Text | None = None
    sensitivity: Sensitivity = "confidential"


class Detention(Strict):
    """Where and how the person is held now (v1.2)."""

    place: LocalizedText | None = Field(default=None, description='e.g. "Penal colony No. 9, Horki"')
    regime: LocalizedText | None = Field(default=None, description='e.g. "strict regime"')
    since: StrictDate | None = Field(default=None, description="held there since")
    incommunicado: bool | None = Field(default=None, description="held without contact with the outside")
    lawyer_access: Literal[LAWYER_ACCESS] | None = Field(  # type: ignore[valid-type]
        default=None, description="none, restricted or regular"
    )
    sensitivity: Sensitivity = "public"


class HealthNote(Strict):
    """What is known of the person's health; confidential unless marked otherwise (v1.2)."""

    text: RequiredLocalizedMarkdown
    sensitivity: Sensitivity = "confidential"


class Designation(Strict):
    """The person put on a list by the authorities (v1.2): "extremist formations" ..."""

    list: RequiredLocalizedText = Field(description='the list, e.g. "extremist formations"')
    by: OrganisationRef | None = Field(default=None, description="who keeps the list")
    date: PartialDate | None = None
    source: SourceRef | None = None


class Recognition(Strict):
    """The person recognised, e.g. as a political prisoner by a monitoring group (v1.2)."""

    by: OrganisationRef = Field(description="the organisation that recognised the person")
    as_: Literal[RECOGNITION_KINDS] = Field(  # type: ignore[valid-type]
        default="political-prisoner",
        alias="as",
        description="political-prisoner (default), prisoner-of-conscience or other",
    )
    date: PartialDate | None = None
    source: SourceRef | None = None


class Case(Item):
    """The case of one or more people persecuted."""

    title: LocalizedText | None = Field(default=None, description="default: the subjects' names joined")
    subjects: list[PersonRef] = Field(min_length=1, description="ids of people, at least one")
    status: Literal[CASE_STATUSES]  # type: ignore[valid-type]
    status_date: StrictDate | None = Field(default=None, description="when the status was last confirmed")
    summary: RequiredLocalizedMarkdown
    charges: list[Charge] = []
    sentence: Sentence | None = None
    timeline: list[TimelineEntry] = []
    violations: list[Violation] = []
    proceedings: list[Proceeding] = []
    sources: list[SourceRef] = []
    notes: list[Note] = Field(default=[], description="internal by default")
    contacts: list[Contact] = Field(default=[], description="confidential by default")
    # v1.2
    detention: Detention | None = Field(default=None, description="where and how the person is held now")
    expected_release: StrictDate | None = None
    health: list[HealthNote] = Field(default=[], description="confidential by default")
    designations: list[Designation] = Field(default=[], description='e.g. "extremist formations" lists')
    recognitions: list[Recognition] = Field(default=[], description="e.g. as a political prisoner")


class Speaker(Strict):
    """A speaker at an event."""

    person: PersonRef
    role: LocalizedText | None = Field(
        default=None, description="overrides the person's affiliation for this event"
    )
    points: list[LocalizedMarkdown] = []


class Event(Item):
    """An event: a discussion, a hearing, a conference."""

    title: RequiredLocalizedText
    type: LocalizedText | None = Field(default=None, description='e.g. "expert discussion"')
    date: StrictDate
    end_date: StrictDate | None = Field(default=None, description="not before date")
    time: Time | None = Field(default=None, description="start, local time of the event (HH:MM)")
    end_time: Time | None = Field(default=None, description="end, local time of the event (HH:MM)")
    timezone: TimeZone | None = Field(default=None, description="IANA name, e.g. Europe/Brussels")
    location: LocalizedText | None = None
    organisers: list[OrganisationRef] = []
    moderator: PersonRef | None = None
    speakers: list[Speaker] = []
    summary: LocalizedMarkdown | None = None
    cases: list[CaseRef] = Field(default=[], description="cases discussed")
    publications: list[SourceRef] = Field(default=[], description="e.g. the report presented")
    recommendations: list[RecommendationRef] = []


class Recommendation(Item):
    """A recommendation to one or more organisations."""

    text: RequiredLocalizedMarkdown
    addressees: list[OrganisationRef] = Field(min_length=1, description="ids of organisations, at least one")
    priority: Literal[PRIORITIES] = "medium"  # type: ignore[valid-type]
    cases: list[CaseRef] = []
    made_at: EventRef | None = None
    made_by: list[PersonRef] = []


class Source(Item):
    """A source that content cites: a report, a judgment, an article ..."""

    title: RequiredLocalizedText
    type: Literal[SOURCE_TYPES] | None = None  # type: ignore[valid-type]
    publisher: OrganisationRef | None = None
    authors: list[Text] = []
    date: PartialDate | None = None
    url: Url | None = None
    accessed: StrictDate | None = None


class Recipient(Item):
    """A person a brief is personalised for; internal by default."""

    sensitivity: Sensitivity = Field(
        default="internal", description="internal by default: details appear only in their own copy"
    )
    name: RequiredText
    title: LocalizedText | None = Field(default=None, description='e.g. "Member of the European Parliament"')
    organisation: OrganisationRef | None = None
    salutation: LocalizedText | None = Field(default=None, description='e.g. "Dear Ms Doe,"')
    language: LangCode | None = Field(default=None, description="preferred language of their copy")
    country: Country | None = None


class FigurePoint(Strict):
    """One value of a figure: a label (text, or a partial date for a line over time)."""

    label: RequiredLocalizedText = Field(description="a text, or a date YYYY, YYYY-MM or YYYY-MM-DD")
    value: float = Field(description="a number")


class Figure(Item):
    """A number the organisation tracks that is not a case, shown as a chart (v1.1)."""

    title: RequiredLocalizedText
    kind: Literal[FIGURE_KINDS] = Field(description="bar (horizontal), column or line")  # type: ignore[valid-type]
    unit: LocalizedText | None = Field(default=None, description='e.g. "people", "days"')
    data: list[FigurePoint] = Field(min_length=1, description="at least one {label, value}")
    source: SourceRef | None = Field(default=None, description="cited under the chart")
    note: LocalizedMarkdown | None = None
    alt: LocalizedText | None = Field(
        default=None, description="text alternative; default: made from the data"
    )


COLLECTIONS: dict[str, type[Item]] = {
    "organisations": Organisation,
    "people": Person,
    "cases": Case,
    "events": Event,
    "recommendations": Recommendation,
    "sources": Source,
    "recipients": Recipient,
    "figures": Figure,
}
SINGULAR = {
    "organisations": "organisation",
    "people": "person",
    "cases": "case",
    "events": "event",
    "recommendations": "recommendation",
    "sources": "source",
    "recipients": "recipient",
    "figures": "figure",
    "audiences": "audience",
    "briefs": "brief",
}


class ContentFile(Strict):
    """One content file: any of the collections, each a list of items (for the JSON Schema)."""

    organisations: list[Organisation] = []
    people: list[Person] = []
    cases: list[Case] = []
    events: list[Event] = []
    recommendations: list[Recommendation] = []
    sources: list[Source] = []
    recipients: list[Recipient] = []
    figures: list[Figure] = []


# ---------------------------------------------------------------- briefgen.yaml


class Audience(Strict):
    """A group of readers with a clearance level."""

    id: Slug
    name: LocalizedText | None = Field(
        default=None, description="the organisation's own label for it; the cover names `reader`"
    )
    reader: LocalizedText | None = Field(
        default=None,
        description='how the cover names its readers ("For: Members of the European Parliament"); '
        "without it the cover names no audience",
    )
    clearance: Sensitivity = Field(default="public", description="the most sensitive content it may see")
    language: LangCode | None = None
    addressees: list[OrganisationRef] = Field(default=[], description="these recommendations first")
    vars: dict[str, Any] = Field(default={}, description="free values for templates")
    marking: LocalizedText | None = Field(
        default=None,
        description="protective marking on the cover and every page; replaces the default "
        '("Internal: not for distribution", "Confidential: {audience name} only")',
    )
    theme: Text | None = Field(
        default=None,
        description="the theme of this audience's outputs, instead of the project's `theme`",
    )


class RecipientFilter(Strict):
    """Recipients chosen by tag."""

    tags: list[Slug] = Field(min_length=1)


LETTER_PLACEHOLDERS = ("recipient.name", "recipient.title", "recipient.organisation", "brief.title")
PLACEHOLDER_RE = re.compile(r"\{([^{}\n]*)\}")


class Letter(Strict):
    """The letter that opens each recipient's copy (content format 1.1)."""

    body: RequiredLocalizedMarkdown = Field(
        description="the letter's text; may use {recipient.name}, {recipient.title}, "
        "{recipient.organisation} and {brief.title}"
    )
    signatories: list[PersonRef] = Field(min_length=1, description="people who sign, in order")
    closing: LocalizedText | None = Field(
        default=None, description='default per language, e.g. "Yours sincerely,"'
    )


class HtmlSettings(Strict):
    """How a brief's HTML output is written."""

    self_contained: bool = Field(
        default=False,
        description="one .html file with fonts (subset) and images inlined as data: URLs, "
        "for e-mail and archives (also --self-contained); default: the file and its _files folder",
    )


class Brief(Strict):
    """A briefing to build."""

    id: Slug
    template: RequiredText = Field(
        description="policy-brief, event-summary, case-dossier or a project template"
    )
    title: LocalizedText | None = None
    subtitle: LocalizedText | None = None
    short_title: LocalizedText | None = None  # extension: running header (default: title)
    date: StrictDate | None = Field(default=None, description="publication date (default as_of)")
    audiences: list[AudienceRef] | None = None
    languages: list[LangCode] | None = Field(default=None, description="default: the project language")
    formats: list[Literal[FORMATS]] = list(DEFAULT_FORMATS)  # type: ignore[valid-type]
    html: HtmlSettings = Field(default_factory=HtmlSettings, description="settings of the HTML output")
    event: EventRef | None = Field(default=None, description="required for event-summary")
    cases: Literal["all"] | list[CaseRef] | None = None
    recommendations: Literal["all"] | list[RecommendationRef] | None = None
    recipients: Literal["all"] | list[RecipientRef] | RecipientFilter | None = Field(
        default=None, description="one personalised copy each: all, a list of ids or {tags: [...]}"
    )
    # A list of localized items, or a localized list ({en: [...], ru: [...]}) whose languages
    # may differ in length.
    key_messages: list[LocalizedMarkdown] | LocalizedList = []
    intro: LocalizedMarkdown | None = None
    covering_note: LocalizedMarkdown | None = None  # extension: on each recipient's cover
    letter: Letter | None = Field(default=None, description="opens each recipient's copy; needs recipients")
    charts: list[Slug] = Field(
        default=[],
        description="detention-days, case-status, case-timeline or ids of figures, in the order shown",
    )


class Project(Strict):
    """briefgen.yaml: project settings, audiences and the briefs to build."""

    name: RequiredText
    publisher: OrganisationRef | None = Field(default=None, description="organisation id: branding on covers")
    language: LangCode = "en"
    theme: Text = "default"
    as_of: StrictDate | None = Field(default=None, description="reference date for computed facts")
    audiences: list[Audience] = []
    briefs: list[Brief] = Field(default=[], min_length=0)
    # extension: "pdf/a-3b" makes every PDF archival as well as tagged (also --pdf-variant)
    pdf_variant: Literal["pdf/a-3b"] | None = None
    # extension: let templates and content load http(s) resources (off: nothing is fetched)
    allow_remote_resources: bool = False


# Constructed, not validated: the values are valid as written, and validating them would
# build Audience's validator on every start-up (Strict's defer_build).
IMPLICIT_AUDIENCE = Audience.model_construct(id="public", name=None, clearance="public")


def _deepest(
    table: dict[tuple[Any, ...], tuple[int, int]], path: tuple[Any, ...], fallback: tuple[int, int]
) -> tuple[int, int]:
    for end in range(len(path), -1, -1):
        found = table.get(tuple(path[:end]))
        if found:
            return found
    return fallback


# ---------------------------------------------------------------- walking the types


# Walking the types is done for every value of every item (references, citations, assets):
# the answers for one annotation never change, so they are kept. Keyed by id(), with the
# object kept alive beside its answer so that the id cannot be reused by another object.
_FIELD_TYPES: dict[int, tuple[Any, Any]] = {}
_TYPE_OPTIONS: dict[int, tuple[Any, list[tuple[Any, tuple[Any, ...]]]]] = {}


def field_type(info: Any) -> Any:
    """A model field's full annotation (pydantic keeps its outer Annotated metadata apart)."""
    known = _FIELD_TYPES.get(id(info))
    if known is not None and known[0] is info:
        return known[1]
    annotation = Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    _FIELD_TYPES[id(info)] = (info, annotation)
    return annotation


def unwrap(annotation: Any) -> tuple[Any, tuple[Any, ...]]:
    """(bare type, metadata of all the Annotated layers around it)."""
    metadata: tuple[Any, ...] = ()
    while get_origin(annotation) is Annotated:
        annotation, *extra = get_args(annotation)
        metadata += tuple(extra)
    return annotation, metadata


def type_options(annotation: Any) -> list[tuple[Any, tuple[Any, ...]]]:
    """The members of a union (or the type itself), each as (bare type, metadata)."""
    known = _TYPE_OPTIONS.get(id(annotation))
    if known is not None and known[0] is annotation:
        return known[1]
    options = _type_options(annotation)
    _TYPE_OPTIONS[id(annotation)] = (annotation, options)
    return options


def _type_options(annotation: Any) -> list[tuple[Any, tuple[Any, ...]]]:
    bare, metadata = unwrap(annotation)
    if get_origin(bare) not in (Union, UnionType):
        return [(bare, metadata)]
    options = []
    for member in get_args(bare):
        for inner, extra in type_options(member):
            if inner is not type(None):
                options.append((inner, metadata + extra))
    return options


def child_type(annotation: Any, part: str | int) -> Any | None:
    """The type of `part` (a field name, a list index or a dict key) inside `annotation`."""
    for bare, _ in type_options(annotation):
        origin = get_origin(bare)
        if isinstance(bare, type) and issubclass(bare, BaseModel):
            if isinstance(part, str):
                for name, info in bare.model_fields.items():
                    if part in (name, info.alias):  # `as` is the alias of as_
                        return field_type(info)
        elif origin is list and isinstance(part, int):
            return get_args(bare)[0]
        elif origin is dict and isinstance(part, str):
            return get_args(bare)[1]
    return None


# The collections of briefgen.yaml that translate, sheet and select address like content items.
SETTINGS_COLLECTIONS: dict[str, type[BaseModel]] = {"briefs": Brief, "audiences": Audience}


def field_path(name: str) -> tuple[str | int, ...]:
    """ "timeline[2].text" -> ("timeline", 2, "text")."""
    path: list[str | int] = []
    for part in name.split("."):
        head, _, rest = part.partition("[")
        path.append(head)
        for index in re.findall(r"(\d+)\]", "[" + rest if rest else ""):
            path.append(int(index))
    return tuple(path)


def value_type(collection: str, field: tuple[str | int, ...]) -> Any | None:
    """The annotation of `field` in an item of `collection` (None if there is no such field)."""
    annotation: Any = SETTINGS_COLLECTIONS.get(collection) or COLLECTIONS.get(collection)
    if annotation is None:
        return None
    for part in field:
        annotation = child_type(annotation, part)
        if annotation is None:
            return None
    return annotation


def is_localized(annotation: Any) -> bool:
    """Whether a field holds localized text (a text, or a mapping from language to text)."""
    options = type_options(annotation)
    return any(get_origin(bare) is dict for bare, _ in options) and any(bare is str for bare, _ in options)


def is_markdown(annotation: Any) -> bool:
    return any(MARKDOWN in metadata for _, metadata in type_options(annotation))


def model_class(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model among the options of `annotation`, if any."""
    for bare, _ in type_options(annotation):
        if isinstance(bare, type) and issubclass(bare, BaseModel):
            return bare
    return None


# ---------------------------------------------------------------- the loaded model


@dataclass
class Model:
    """All items of a project by collection and id, the settings, and where each came from."""

    project: Project
    root: Any  # pathlib.Path of the project folder
    items: dict[str, dict[str, Item]] = field(default_factory=lambda: {c: {} for c in COLLECTIONS})
    # (collection, id) -> (relative path, line, column) of the item's "id" key
    positions: dict[tuple[str, str], tuple[str, int, int]] = field(default_factory=dict)
    settings_path: str = "briefgen.yaml"
    # (collection, id) -> {field path: (line, column)} for every key and list entry of the
    # item, e.g. ("name", "ru") or ("timeline", 2, "text"); () is the item itself
    field_positions: dict[tuple[str, str], dict[tuple[Any, ...], tuple[int, int]]] = field(
        default_factory=dict
    )
    # field path in briefgen.yaml -> (line, column); entries of lists of mappings with an
    # id are also found by that id, e.g. ("briefs", "my-brief", "title", "ru")
    settings_positions: dict[tuple[Any, ...], tuple[int, int]] = field(default_factory=dict)
    # What select derives from single items, kept because the items never change once loaded
    # (a mailing's copies each withhold the same two hundred other recipients).
    memo: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    def get(self, collection: str, item_id: str) -> Item | None:
        return self.items[collection].get(item_id)

    def locate(self, collection: str, item_id: str, *field_path: str | int) -> Location:
        """Where a field of an item is written: the deepest part of `field_path` that is
        written in the file, else the item itself (e.g. locate("people", "x", "name", "ru")
        gives the `name:` line when the name has no `ru`)."""
        path, line, column = self.positions.get((collection, item_id), ("content", 0, 0))
        table = self.field_positions.get((collection, item_id), {})
        return Location(path, *_deepest(table, field_path, (line, column)))

    def settings_locate(self, *path: str | int) -> Location:
        """Where a setting is written in briefgen.yaml, e.g. settings_locate("briefs", "x",
        "template"); the deepest part of `path` that is written, else where the settings start."""
        return Location(self.settings_path, *_deepest(self.settings_positions, path, (1, 1)))

    @property
    def organisations(self) -> dict[str, Organisation]:
        return self.items["organisations"]  # type: ignore[return-value]

    @property
    def people(self) -> dict[str, Person]:
        return self.items["people"]  # type: ignore[return-value]

    @property
    def cases(self) -> dict[str, Case]:
        return self.items["cases"]  # type: ignore[return-value]

    @property
    def events(self) -> dict[str, Event]:
        return self.items["events"]  # type: ignore[return-value]

    @property
    def recommendations(self) -> dict[str, Recommendation]:
        return self.items["recommendations"]  # type: ignore[return-value]

    @property
    def sources(self) -> dict[str, Source]:
        return self.items["sources"]  # type: ignore[return-value]

    @property
    def recipients(self) -> dict[str, Recipient]:
        return self.items["recipients"]  # type: ignore[return-value]

    @property
    def figures(self) -> dict[str, Figure]:
        return self.items["figures"]  # type: ignore[return-value]

    def audiences(self) -> list[Audience]:
        return list(self.project.audiences) or [IMPLICIT_AUDIENCE]

    def audience(self, audience_id: str) -> Audience:
        for audience in self.audiences():
            if audience.id == audience_id:
                return audience
        raise KeyError(audience_id)
