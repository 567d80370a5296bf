"""Select: model + brief + audience + language (+ recipient) -> the View one output may see.

This is where confidentiality is enforced. Everything above the audience's clearance is
removed here, before any template runs, so no template can show it: whole items, timeline
entries, notes, contacts. People above the clearance who are referred to from visible
content appear under their pseudonym. Localized values are chosen for the language (with
fallback to the project language, recorded), and computed facts (days in detention, status
lines) are worked out as of the brief's date.

The View is made of Records (attribute bags) holding plain values; markdown stays markdown
(templates render it with the `md` filter). `View.ledger` lists every value the audience
must not see, and every value it may, for the confidentiality check (ledger.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from types import SimpleNamespace
from typing import Any

from pydantic import BaseModel

from . import facts
from .facts import DETAINED_STATUSES, SINCE_TYPES  # noqa: F401 (kept importable from here)
from .i18n import Localizer
from .langmark import marked
from .ledger import NOT_CHECKED, Ledger, Withheld, texts_of
from .marking import marking_text
from .model import (
    CITATION_RE,
    PLACEHOLDER_RE,
    Audience,
    Brief,
    Case,
    Event,
    Figure,
    Model,
    Organisation,
    Person,
    Recipient,
    Recommendation,
    Source,
    as_data,
    field_path,
    is_markdown,
    sensitivity_rank,
    value_type,
)

PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2}


@cache
def is_prose(collection: str, field_name: str) -> bool:
    """Whether a field (`"timeline[2].text"`) of an item of `collection` is localized markdown."""
    annotation = value_type(collection, field_path(field_name))
    return annotation is not None and is_markdown(annotation)


class ForeignText(str):
    """A localized value shown in another language than the output's (the translation is
    missing): equal to the text itself everywhere, it also knows its language, which the
    renderer writes as a lang attribute around it (render.py, mark_languages)."""

    lang: str = ""

    def __html__(self) -> str:
        # Wherever it is escaped into HTML (printed by a template, formatted into a label with
        # Markup's format, joined with Markup), it keeps its language: mark_languages turns
        # the marks into <span lang> in text and drops them in attributes and the <title>.
        return marked(self)

    def __reduce__(self):
        return (_foreign, (str(self), self.lang))


def _foreign(text: str, lang: str) -> ForeignText:
    value = ForeignText(text)
    value.lang = lang
    return value


class Record(SimpleNamespace):
    """An item as a template sees it: attributes only, no methods to trip over."""


@dataclass(frozen=True)
class Fallback:
    collection: str
    item_id: str
    field: str
    wanted: str
    used: str
    # The texts used instead (a list's items): whether an output prints one decides whether
    # the fallback is reported (jobs.printed_fallbacks).
    texts: tuple[str, ...] = field(default=(), compare=False)


@dataclass
class View:
    brief: Record
    audience: Record
    language: str
    project: Record
    publisher: Record | None
    recipient: Record | None
    cases: list[Record]
    recommendations: list[Record]
    recommendation_groups: list[Record]
    event: Record | None
    sources: list[Record]  # every visible source, in the order first referred to
    letter: Record | None = None  # a recipient's copy of a brief with a letter
    # The brief's charts by name, in its order, and the figures this audience may see.
    charts: list[str] = field(default_factory=list)
    figures: dict[str, Record] = field(default_factory=dict)
    fallbacks: list[Fallback] = field(default_factory=list)
    ledger: Ledger = field(default_factory=Ledger)  # withheld and shown texts, for check
    # Items whose content this output shows: (collection, id), for incremental builds.
    depends_on: set[tuple[str, str]] = field(default_factory=set)
    # (where, path under assets/) of every image of an item above the clearance (the photo
    # of a person shown under a pseudonym, a withheld organisation's logo) that no visible
    # item shows: the writers' resource reader refuses these files, whatever a template
    # asks for. Not given to templates.
    withheld_images: list[tuple[str, str]] = field(default_factory=list)

    @property
    def removed(self) -> list[Withheld]:
        return self.ledger.removed

    @property
    def visible(self) -> list[str]:
        return self.ledger.visible

    def template_context(self) -> dict:
        """What a template receives from the View (docs/templates.md): the one list of it,
        used by the render stage and by the fingerprint of incremental builds."""
        return {
            "brief": self.brief,
            "audience": self.audience,
            "language": self.language,
            "project": self.project,
            "publisher": self.publisher,
            "recipient": self.recipient,
            "cases": self.cases,
            "recommendations": self.recommendations,
            "recommendation_groups": self.recommendation_groups,
            "event": self.event,
            "sources": self.sources,
            "letter": self.letter,
            "chart_names": self.charts,
            "figures": self.figures,
        }


class Selector:
    """Builds the View of one output. Pure: reads the model, never changes it."""

    def __init__(
        self,
        model: Model,
        brief: Brief,
        audience: Audience,
        language: str,
        recipient: Recipient | None = None,
    ):
        self.model = model
        self.brief = brief
        self.audience = audience
        self.language = language
        self.recipient_item = recipient
        self.default_language = model.project.language
        self._foreign_language = language.split("-")[0] != self.default_language.split("-")[0]
        self.clearance = sensitivity_rank(audience.clearance)
        self.as_of: date = brief.date or model.project.as_of or date.today()
        self.localizer = Localizer(language, model.root)
        self.fallbacks: list[Fallback] = []
        self.ledger = Ledger()
        self.depends_on: set[tuple[str, str]] = set()
        self._source_order: list[str] = []
        self._people: dict[str, Record] = {}
        self._orgs: dict[str, Record | None] = {}

    # ------------------------------------------------------------------ helpers

    def allowed(self, sensitivity: str) -> bool:
        return sensitivity_rank(sensitivity) <= self.clearance

    def text(
        self, value: Any, collection: str = "", item_id: str = "", field_name: str = "", chosen: bool = False
    ) -> str | None:
        """Choose the value of a localized field for the output language. `chosen`: a text
        already taken for the language (an entry of a localized list's language)."""
        if value is None:
            return None
        if isinstance(value, str):
            self.ledger.show(value)
            if field_name and not chosen and self._foreign_language and is_prose(collection, field_name):
                # A plain text is the project language's (content-format.md): in another
                # language's output it is a fallback like a mapping without that language.
                # Prose only: a name or a title written once is the same in every language.
                self.fallbacks.append(
                    Fallback(collection, item_id, field_name, self.language, self.default_language, (value,))
                )
            return value
        for lang in (self.language, self.language.split("-")[0]):
            if lang in value:
                self.ledger.show(value[lang])
                return value[lang]
        for lang in (self.default_language, *value.keys()):
            if lang in value:
                used = (value[lang],) if isinstance(value[lang], str) else ()
                self.fallbacks.append(Fallback(collection, item_id, field_name, self.language, lang, used))
                self.ledger.show(value[lang])
                if isinstance(value[lang], str) and lang.split("-")[0] != self.language.split("-")[0]:
                    return _foreign(value[lang], lang)
                return value[lang]
        return None

    def written_in(self, value: Any) -> bool:
        """Whether a localized value has the output language's own text (a plain text is the
        project language's)."""
        if value is None:
            return False
        if isinstance(value, str):
            return self.language.split("-")[0] == self.default_language.split("-")[0]
        return any(lang in value for lang in (self.language, self.language.split("-")[0]))

    def localized_list(self, value: Any, collection: str, item_id: str, field_name: str) -> list[str]:
        """A list of localized items, or a localized list ({en: [...], ru: [...]}), in the output language."""
        localized = isinstance(value, dict)
        if localized:
            chosen = None
            for lang in (self.language, self.language.split("-")[0]):
                if lang in value:
                    chosen = value[lang]
                    break
            else:
                lang = next(iter(lang for lang in (self.default_language, *value) if lang in value))
                chosen = value[lang]
                used = tuple(v for v in chosen if isinstance(v, str))
                self.fallbacks.append(Fallback(collection, item_id, field_name, self.language, lang, used))
                if lang.split("-")[0] != self.language.split("-")[0]:
                    chosen = [_foreign(v, lang) if isinstance(v, str) else v for v in chosen]
            value = chosen
        texts = []
        for index, entry in enumerate(value):
            text = self.text(entry, collection, item_id, f"{field_name}[{index}]", localized)
            if text is not None:
                texts.append(text)
        return texts

    def _remove_item(self, collection: str, item_id: str, item: Any, **dump: Any) -> None:
        """Withholds a whole item, whose texts are collected once per model."""
        key = ("removed texts", collection, item_id)
        if key not in self.model.memo:
            self.model.memo[key] = texts_of(f"{collection}.{item_id}", as_data(item, **dump))
        self.ledger.withhold_all(self.model.memo[key])

    # ------------------------------------------------------------------ items

    def organisation(self, org_id: str | None) -> Record | None:
        if org_id is None:
            return None
        if org_id in self._orgs:
            return self._orgs[org_id]
        org: Organisation | None = self.model.organisations.get(org_id)
        record = None
        if org is not None and self.allowed(org.sensitivity):
            self.depends_on.add(("organisations", org_id))
            t = lambda v, f: self.text(v, "organisations", org_id, f)  # noqa: E731
            name = t(org.name, "name")
            record = Record(
                id=org.id,
                name=name,
                # Only the output language's own form: another language's ("the ...") would
                # not fit this one's label; the name always does.
                addressee=(t(org.addressee, "addressee") if self.written_in(org.addressee) else None) or name,
                short_name=t(org.short_name, "short_name") or name,
                kind=org.kind,
                country=org.country,
                website=org.website,
                description=t(org.description, "description"),
                logo=org.logo,
                tags=list(org.tags),
            )
        self._orgs[org_id] = record
        return record

    def person(
        self, person_id: str | None, role_override: Any = None, role_field: tuple[str, str, str] | None = None
    ) -> Record | None:
        if person_id is None:
            return None
        key = person_id
        if key in self._people and role_override is None:
            return self._people[key]
        person: Person | None = self.model.people.get(person_id)
        if person is None:
            return None
        if not self.allowed(person.sensitivity):
            # A pseudonym, or the spec's default, in the output's language: every place a
            # name stands (a case's title, the cases table) shows it, not a blank.
            pseudonym = self.text(person.pseudonym, "people", person_id, "pseudonym")
            record = Record(
                id=None,
                name=pseudonym or self.localizer.gettext("Name withheld"),
                withheld=True,
                affiliations=[],
                role_line=None,
                bio=None,
                photo=None,
                photo_alt=None,
                signature=None,
                tags=[],
                **_WITHHELD_PERSON_FACTS,
            )
            self._people[key] = record
            return record
        self.depends_on.add(("people", person_id))
        t = lambda v, f: self.text(v, "people", person_id, f)  # noqa: E731
        affiliations = []
        for index, aff in enumerate(person.affiliations):
            org = self.organisation(aff.organisation)
            if org is not None or aff.organisation is None:  # v1.2: a role needs no organisation
                affiliations.append(Record(organisation=org, role=t(aff.role, f"affiliations[{index}].role")))
        role_line = None
        if role_override is not None:
            # The role is the event's text: its place is the speaker entry (role_field).
            role_line = self.text(role_override, *(role_field or ("people", person_id, "role")))
        elif affiliations:
            first = affiliations[0]
            org_name = first.organisation.name if first.organisation else None
            role_line = ", ".join(x for x in (first.role, org_name) if x)
        occupation = t(person.occupation, "occupation")
        if role_line is None and occupation:
            role_line = occupation
        record = Record(
            id=person.id,
            name=t(person.name, "name"),
            withheld=False,
            affiliations=affiliations,
            role_line=role_line,
            bio=t(person.bio, "bio"),
            photo=person.photo,
            photo_alt=t(person.photo_alt, "photo_alt"),
            signature=person.signature,
            tags=list(person.tags),
            born=person.born,
            age=facts.age(person.born, self.as_of),
            gender=person.gender,
            region=t(person.region, "region"),
            occupation=occupation,
            also_known_as=list(person.also_known_as),
        )
        if role_override is None:
            self._people[key] = record
        return record

    def source(self, source_id: str | None) -> Record | None:
        if source_id is None:
            return None
        src: Source | None = self.model.sources.get(source_id)
        if src is None or not self.allowed(src.sensitivity):
            return None
        self.depends_on.add(("sources", source_id))
        if source_id not in self._source_order:
            self._source_order.append(source_id)
        t = lambda v, f: self.text(v, "sources", source_id, f)  # noqa: E731
        return Record(
            id=src.id,
            title=t(src.title, "title"),
            type=src.type,
            publisher=self.organisation(src.publisher),
            authors=list(src.authors),
            date=src.date,
            url=src.url,
            accessed=src.accessed,
            tags=list(src.tags),
        )

    def case(self, case_id: str) -> Record | None:
        case: Case | None = self.model.cases.get(case_id)
        if case is None:
            return None
        if not self.allowed(case.sensitivity):
            self.ledger.withhold(f"cases.{case_id}", case)
            self.ledger.withhold(f"cases.{case_id}.id", case_id)
            return None
        self.depends_on.add(("cases", case_id))
        t = lambda v, f: self.text(v, "cases", case_id, f)  # noqa: E731
        subjects = [p for p in (self.person(s) for s in case.subjects) if p is not None]
        timeline = []
        for index, entry in enumerate(case.timeline):
            if not self.allowed(entry.sensitivity):
                self.ledger.withhold(f"cases.{case_id}.timeline[{index}]", entry)
                continue
            timeline.append(
                Record(
                    date=entry.date,
                    type=entry.type,
                    text=t(entry.text, f"timeline[{index}].text"),
                    source=self.source(entry.source),
                )
            )
        timeline.sort(key=lambda e: e.date)  # stable: same-day entries keep file order
        notes = []
        for index, note in enumerate(case.notes):
            if self.allowed(note.sensitivity):
                notes.append(Record(text=t(note.text, f"notes[{index}].text")))
            else:
                self.ledger.withhold(f"cases.{case_id}.notes[{index}]", note)
        contacts = []
        for index, contact in enumerate(case.contacts):
            if self.allowed(contact.sensitivity):
                contacts.append(
                    Record(name=contact.name, role=contact.role, phone=contact.phone, email=contact.email)
                )
                self.ledger.show_all(
                    x for x in (contact.name, contact.role, contact.phone, contact.email) if x
                )
            else:
                self.ledger.withhold(f"cases.{case_id}.contacts[{index}]", contact)
        sentence = None
        if case.sentence is not None:
            s = case.sentence
            sentence = Record(
                years=s.years or 0,
                months=s.months or 0,
                date=s.date,
                court=t(s.court, "sentence.court"),
                suspended=s.suspended,
                in_absentia=s.in_absentia,
                regime=t(s.regime, "sentence.regime"),
            )
        title = t(case.title, "title") or self._join_names([p.name for p in subjects if p.name])
        return Record(
            id=case.id,
            title=title,
            subjects=subjects,
            status=case.status,
            status_date=case.status_date,
            since=self._since(case, timeline),
            days_in_detention=self._days_in_detention(case, timeline),
            summary=t(case.summary, "summary"),
            charges=[
                Record(
                    article=t(c.article, f"charges[{i}].article"),
                    description=t(c.description, f"charges[{i}].description"),
                )
                for i, c in enumerate(case.charges)
            ],
            sentence=sentence,
            timeline=timeline,
            violations=[
                Record(right=t(v.right, f"violations[{i}].right"), text=t(v.text, f"violations[{i}].text"))
                for i, v in enumerate(case.violations)
            ],
            proceedings=[
                Record(
                    body=t(p.body, f"proceedings[{i}].body"),
                    reference=p.reference,
                    date=p.date,
                    status=t(p.status, f"proceedings[{i}].status"),
                    text=t(p.text, f"proceedings[{i}].text"),
                    url=p.url,
                )
                for i, p in enumerate(case.proceedings)
            ],
            sources=[s for s in (self.source(x) for x in case.sources) if s is not None],
            notes=notes,
            contacts=contacts,
            tags=list(case.tags),
            **self._case_v12(case, subjects),
        )

    def _case_v12(self, case: Case, subjects: list[Record]) -> dict[str, Any]:
        """What content format 1.2 adds to a case: detention, health, designations ..."""
        t = lambda v, f: self.text(v, "cases", case.id, f)  # noqa: E731
        detention = None
        if case.detention is not None and self.allowed(case.detention.sensitivity):
            d = case.detention
            detention = Record(
                place=t(d.place, "detention.place"),
                regime=t(d.regime, "detention.regime"),
                since=d.since,
                incommunicado=d.incommunicado,
                lawyer_access=d.lawyer_access,
            )
        elif case.detention is not None:
            self.ledger.withhold(f"cases.{case.id}.detention", case.detention)
        health = []
        for index, note in enumerate(case.health):
            if self.allowed(note.sensitivity):
                health.append(Record(text=t(note.text, f"health[{index}].text")))
            else:
                self.ledger.withhold(f"cases.{case.id}.health[{index}]", note)
        # The grammatical gender of the status words: only for one subject whose name is
        # shown (the gender of a withheld person is not the audience's to know).
        gender = subjects[0].gender if len(subjects) == 1 and not subjects[0].withheld else None
        return {
            "detention": detention,
            "expected_release": case.expected_release,
            "health": health,
            "designations": [
                Record(
                    list=t(d.list, f"designations[{i}].list"),
                    by=self.organisation(d.by),
                    date=d.date,
                    source=self.source(d.source),
                )
                for i, d in enumerate(case.designations)
            ],
            "recognitions": [
                Record(by=self.organisation(r.by), kind=r.as_, date=r.date, source=self.source(r.source))
                for r in case.recognitions
            ],
            "gender": gender if gender in ("female", "male") else None,
        }

    def _since(self, case: Case, timeline: list[Record]) -> str | None:
        """The first timeline date of a kind that starts the current status, if any."""
        return facts.since(case.status, timeline)

    def _days_in_detention(self, case: Case, timeline: list[Record]) -> int | None:
        """Days from the first arrest/detention to the brief's date, for people still held."""
        return facts.days_in_detention(case.status, self._since(case, timeline), self.as_of)

    def recommendation(self, rec_id: str) -> Record | None:
        rec: Recommendation | None = self.model.recommendations.get(rec_id)
        if rec is None:
            return None
        if not self.allowed(rec.sensitivity):
            self.ledger.withhold(f"recommendations.{rec_id}", rec)
            return None
        self.depends_on.add(("recommendations", rec_id))
        addressees = [o for o in (self.organisation(a) for a in rec.addressees) if o is not None]
        return Record(
            id=rec.id,
            text=self.text(rec.text, "recommendations", rec_id, "text"),
            addressees=addressees,
            priority=rec.priority,
            for_audience=False,  # decided over the whole selection (select, _mark_yours)
            cases=[c for c in rec.cases if self._visible_item("cases", c)],
            made_at=rec.made_at if self._visible_item("events", rec.made_at) else None,
            made_by=[p for p in (self.person(x) for x in rec.made_by) if p is not None],
            tags=list(rec.tags),
        )

    def _mark_yours(self, recs: list[Record]) -> None:
        """`for_audience` ("addressed to you") of the selected recommendations: those to a
        recipient's own organisation in their copy, when any shown here is addressed to it
        (an MEP's copy marks those to the Parliament, not those to the Commission); else
        those to the audience's addressees. Decided over the visible addressees of what this
        output shows only: a withheld recommendation or organisation changes nothing."""
        own = self.recipient_item.organisation if self.recipient_item is not None else None
        shown = [{o.id for o in rec.addressees} for rec in recs]
        addressed = own is not None and any(own in ids for ids in shown)
        yours = {own} if addressed else set(self.audience.addressees)
        for rec, ids in zip(recs, shown, strict=True):
            rec.for_audience = bool(ids & yours)

    def figure(self, figure_id: str) -> Record | None:
        figure: Figure | None = self.model.figures.get(figure_id)
        if figure is None or not self.allowed(figure.sensitivity):
            return None  # its texts are recorded as removed with every hidden item
        self.depends_on.add(("figures", figure_id))
        t = lambda v, f: self.text(v, "figures", figure_id, f)  # noqa: E731
        return Record(
            id=figure.id,
            title=t(figure.title, "title"),
            kind=figure.kind,
            unit=t(figure.unit, "unit"),
            data=[
                Record(label=t(p.label, f"data[{i}].label"), value=p.value) for i, p in enumerate(figure.data)
            ],
            source=self.source(figure.source),
            note=t(figure.note, "note"),
            alt=t(figure.alt, "alt"),
            tags=list(figure.tags),
        )

    def _join_names(self, names: list[str]) -> str:
        if len(names) < 2:
            return "".join(names)
        return self.localizer.gettext("{names} and {last}").format(
            names=", ".join(names[:-1]), last=names[-1]
        )

    def _visible_item(self, collection: str, item_id: str | None) -> bool:
        item = self.model.get(collection, item_id) if item_id else None
        return item is not None and self.allowed(item.sensitivity)

    def event(self, event_id: str | None) -> Record | None:
        event: Event | None = self.model.events.get(event_id) if event_id else None
        if event is None:
            return None
        if not self.allowed(event.sensitivity):
            self.ledger.withhold(f"events.{event_id}", event)
            return None
        self.depends_on.add(("events", event.id))
        t = lambda v, f: self.text(v, "events", event.id, f)  # noqa: E731
        speakers = []
        for index, speaker in enumerate(event.speakers):
            person = self.person(
                speaker.person,
                role_override=speaker.role,
                role_field=("events", event.id, f"speakers[{index}].role"),
            )
            if person is None:
                continue
            speakers.append(
                Record(
                    person=person,
                    points=[t(p, f"speakers[{index}].points[{j}]") for j, p in enumerate(speaker.points)],
                )
            )
        return Record(
            id=event.id,
            title=t(event.title, "title"),
            type=t(event.type, "type"),
            date=event.date,
            end_date=event.end_date,
            time=event.time,
            end_time=event.end_time,
            timezone=event.timezone,
            location=t(event.location, "location"),
            organisers=[o for o in (self.organisation(x) for x in event.organisers) if o is not None],
            moderator=self.person(event.moderator),
            speakers=speakers,
            summary=t(event.summary, "summary"),
            case_ids=list(event.cases),
            publications=[s for s in (self.source(x) for x in event.publications) if s is not None],
            recommendation_ids=list(event.recommendations),
            tags=list(event.tags),
        )

    def recipient(self) -> Record | None:
        rec = self.recipient_item
        if rec is None:
            return None
        t = lambda v, f: self.text(v, "recipients", rec.id, f)  # noqa: E731
        return Record(
            id=rec.id,
            name=rec.name,
            title=t(rec.title, "title"),
            organisation=self.organisation(rec.organisation),
            salutation=t(rec.salutation, "salutation"),
            language=rec.language,
            country=rec.country,
        )

    # ------------------------------------------------------------------ the view

    def select(self) -> View:
        model, brief = self.model, self.brief
        event = self.event(brief.event)

        case_ids = _choose(brief.cases, model.cases, event.case_ids if event else [])
        cases = [c for c in (self.case(i) for i in case_ids) if c is not None]
        case_ids_visible = {c.id for c in cases}

        rec_ids = _choose(
            brief.recommendations, model.recommendations, event.recommendation_ids if event else []
        )
        recs = [r for r in (self.recommendation(i) for i in rec_ids) if r is not None]
        self._mark_yours(recs)
        groups = _group_by_addressee(recs)
        # Numbered in reading order, so the numbers run 1, 2, 3 down the page.
        recs = [rec for group in groups for rec in group.recommendations]
        for index, rec in enumerate(recs, start=1):
            rec.number = index

        if event is not None:
            event.cases = [c for c in cases if c.id in set(event.case_ids)] or [
                c
                for c in (self.case(i) for i in event.case_ids)
                if c is not None and c.id in case_ids_visible
            ]
            event.recommendations = [r for r in recs if r.id in set(event.recommendation_ids)]

        publisher = self.organisation(model.project.publisher)
        t = lambda v, f: self.text(v, "briefs", brief.id, f)  # noqa: E731
        title = t(brief.title, "title") or (event.title if event else model.project.name)
        brief_record = Record(
            id=brief.id,
            template=brief.template,
            title=title,
            subtitle=t(brief.subtitle, "subtitle"),
            short_title=t(brief.short_title, "short_title") or title,
            date=self.as_of,
            key_messages=self.localized_list(brief.key_messages, "briefs", brief.id, "key_messages"),
            intro=t(brief.intro, "intro"),
            covering_note=t(brief.covering_note, "covering_note") if self.recipient_item else None,
        )
        audience_record = Record(
            id=self.audience.id,
            name=self.text(self.audience.name, "audiences", self.audience.id, "name"),
            reader=self.text(self.audience.reader, "audiences", self.audience.id, "reader"),
            clearance=self.audience.clearance,
            addressees=[o for o in (self.organisation(a) for a in self.audience.addressees) if o is not None],
            vars=dict(self.audience.vars),
        )
        audience_record.marking = marking_text(
            self.text(self.audience.marking, "audiences", self.audience.id, "marking"),
            self.audience.clearance,
            audience_record.name or self.audience.id,
            self.localizer,
        )
        if audience_record.marking:
            self.ledger.show(audience_record.marking)
        # The brief's figures the audience may see (their sources are cited under them).
        figures = {
            f.id: f for f in (self.figure(i) for i in brief.charts if i in model.figures) if f is not None
        }
        project_record = Record(name=model.project.name, language=model.project.language)
        recipient = self.recipient()
        letter = self.letter(brief, recipient, title)
        self._remove_other_recipients()
        self._remove_hidden_items()
        # Each cited source once, in the order first cited: a view's texts cite the same few
        # sources hundreds of times, and each call made a record and showed its texts again.
        cited = dict.fromkeys(
            source_id for text in list(self.ledger.visible) for source_id in _cited_sources(text)
        )
        for source_id in cited:
            self.source(source_id)
        sources = [s for s in (self.source(x) for x in list(self._source_order)) if s is not None]
        return View(
            brief=brief_record,
            audience=audience_record,
            language=self.language,
            project=project_record,
            publisher=publisher,
            recipient=recipient,
            cases=cases,
            recommendations=recs,
            recommendation_groups=groups,
            event=event,
            sources=sources,
            letter=letter,
            charts=list(brief.charts),
            figures=figures,
            fallbacks=_unique(self.fallbacks),
            ledger=self.ledger,
            depends_on=self.depends_on,
            withheld_images=self._withheld_images(),
        )

    def _withheld_images(self) -> list[tuple[str, str]]:
        """Photos and logos of the items above the clearance, less those a visible item shows."""
        fields = {"people": "photo", "organisations": "logo"}
        shown = {
            getattr(self.model.get(collection, item_id), fields[collection], None)
            for collection, item_id in self.depends_on
            if collection in fields
        }
        withheld = []
        for collection, name in fields.items():
            for item_id, item in getattr(self.model, collection).items():
                path = getattr(item, name, None)
                if path and path not in shown and not self.allowed(item.sensitivity):
                    withheld.append((f"{collection}.{item_id}.{name}", path))
        return withheld

    def letter(self, brief: Brief, recipient: Record | None, title: str) -> Record | None:
        """The letter of a recipient's copy, its placeholders filled with that recipient."""
        letter = brief.letter
        if letter is None or recipient is None:
            return None
        t = lambda v, f: self.text(v, "briefs", brief.id, f)  # noqa: E731
        organisation = recipient.organisation.name if recipient.organisation is not None else ""
        values = {
            "recipient.name": recipient.name,
            "recipient.title": recipient.title or "",
            "recipient.organisation": organisation,
            "brief.title": title,
        }
        body = PLACEHOLDER_RE.sub(
            lambda m: _markdown_literal(values.get(m.group(1).strip(), m.group(0))),
            t(letter.body, "letter.body"),
        )
        salutation = recipient.salutation or self.localizer.gettext("Dear {name},").format(
            name=recipient.name
        )
        return Record(
            date=self.as_of,
            salutation=salutation,
            body=body,
            closing=t(letter.closing, "letter.closing") or self.localizer.gettext("Yours sincerely,"),
            signatories=[p for p in (self.person(pid) for pid in letter.signatories) if p is not None],
        )

    def _remove_hidden_items(self) -> None:
        """Every item above the clearance, referred to or not (a pseudonym is meant to be seen);
        and, as visible, the ids and plain (not localized) texts of the items shown."""
        for collection in (
            "organisations", "people", "sources", "events", "cases", "recommendations", "figures",
        ):  # fmt: skip
            for item_id, item in getattr(self.model, collection).items():
                if not self.allowed(item.sensitivity):
                    self._remove_item(collection, item_id, item, exclude={"pseudonym"})
        for event in self.model.events.values():  # a withheld speaker's role tells who they are
            for index, speaker in enumerate(event.speakers):
                if not self._visible_item("people", speaker.person):
                    self.ledger.withhold(f"events.{event.id}.speakers[{index}].role", speaker.role)
        # In order: the leak check reads the shown texts as one text (check._VisibleText), and
        # a set's order changes with Python's hash seed from one run to the next.
        for collection, item_id in sorted(self.depends_on):
            # The same for every output of this clearance: collected once per model.
            key = ("plain texts", collection, item_id, self.clearance)
            texts = self.model.memo.get(key)
            if texts is None:
                texts = self.model.memo[key] = self._plain_texts(self.model.get(collection, item_id))
            self.ledger.show(item_id)
            self.ledger.show_all(texts)
        if self.recipient_item is not None:
            # The copy's own id names its files (an HTML copy links its `_files/` folder): the
            # id of another recipient it begins with (`ivanova` in `ivanova-4`) is no leak.
            self.ledger.show_all([self.recipient_item.name, self.recipient_item.id])

    def _plain_texts(self, value: Any) -> list[str]:
        """The texts of a visible item (article, court, URL ... as written), without its parts
        above the clearance (notes, contacts, timeline entries)."""
        if isinstance(value, BaseModel):
            value = as_data(value)
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            if not self.allowed(value.get("sensitivity", "public")):
                return []
            if "person" in value and not self._visible_item("people", value["person"]):
                return []  # a withheld speaker: only the points are shown
            return [t for key, sub in value.items() if key not in NOT_CHECKED for t in self._plain_texts(sub)]
        if isinstance(value, list | tuple):
            return [t for sub in value for t in self._plain_texts(sub)]
        return []

    def _remove_other_recipients(self) -> None:
        # A recipient's details appear only in their own copy.
        for rec in self.model.recipients.values():
            if self.recipient_item is not None and rec.id == self.recipient_item.id:
                continue
            self._remove_item("recipients", rec.id, rec)


# The v1.2 facts of a person shown under a pseudonym: none of them (a region or an old
# spelling of the name tells who it is).
_WITHHELD_PERSON_FACTS = {
    "born": None, "age": None, "gender": None, "region": None, "occupation": None, "also_known_as": [],
}  # fmt: skip


@lru_cache(maxsize=16384)
def _cited_sources(text: str) -> tuple[str, ...]:
    """The source ids a text cites ([@id]), in order. Every view asks this of every text it
    shows (some 750 a view, most of them in every copy of a mailing); a citation begins with
    "[@", so a text without one is answered without the pattern."""
    if "[@" not in text:
        return ()
    return tuple(match.group(1) for match in CITATION_RE.finditer(text))


def select_view(
    model: Model, brief: Brief, audience: Audience, language: str, recipient: Recipient | None = None
) -> tuple[View, Selector]:
    selector = Selector(model, brief, audience, language, recipient)
    return selector.select(), selector


def _choose(wanted: Any, collection: dict, default: list[str]) -> list[str]:
    if wanted == "all":
        return sorted(collection)
    if wanted is None:
        return list(default)
    return list(wanted)


def _group_by_addressee(recs: list[Record]) -> list[Record]:
    """Groups by first addressee: the audience's own first, then by highest priority."""
    recs = sorted(recs, key=lambda r: PRIORITY_ORDER[r.priority])
    groups: dict[str, Record] = {}
    for rec in recs:
        key = rec.addressees[0].id if rec.addressees else ""
        if key not in groups:
            groups[key] = Record(
                addressee=rec.addressees[0] if rec.addressees else None,
                for_audience=rec.for_audience,
                recommendations=[],
            )
        groups[key].recommendations.append(rec)
        groups[key].for_audience = groups[key].for_audience or rec.for_audience
    return sorted(groups.values(), key=lambda g: not g.for_audience)


def _unique(items: list) -> list:
    return list(dict.fromkeys(items))


def _markdown_literal(text: str) -> str:
    """`text` as markdown that prints exactly that text (a name with * or _ in it)."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!<>|~])", r"\\\1", text)
