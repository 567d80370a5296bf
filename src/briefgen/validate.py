"""Validate: the project as written (settings + items, typed or not) -> cross-item problems.

load.py types each item on its own; this module checks what needs the whole project, on
the YAML nodes so that every problem has its exact place, also inside items that have
other errors:

- errors: an id used twice in a collection (naming both places); a reference to an id
  that does not exist (every field typed `RefTo(...)` in model.py); a citation `[@id]` of
  an unknown source in any markdown field; an asset path (logo, photo) that leaves assets/
  or names a missing file, or an image that is not what its name says, truncated, too
  large or an SVG with active content (images.clean_image); `end_date` before `date`; an
  event's `end_time` before its `time` on the same day; a photo without `photo_alt`; a
  brief's template that does not exist; an event-summary without `event`, or for an
  audience not cleared for its event; an unknown language; a brief recipient tag nobody
  has; an audience or brief id used twice.
- warnings: a person, organisation, source or case that nothing refers to (and no brief
  selects with `all`); a case without sources.

When a content file could not be read at all (`complete` is False), unknown references and
unused items are not reported: they may well be in that file. Unused items are not reported
either when briefgen.yaml could not be read.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel

from .diagnostics import Diagnostic, error, warning
from .images import ImageError, check_image
from .lookup import BUILTIN_NAMES, TemplateChain
from .lookup import NAME_RE as TEMPLATE_NAME_RE
from .lookup import SUFFIX as TEMPLATE_SUFFIX
from .model import (
    ASSET,
    BUILTIN_CHARTS,
    CITATION_RE,
    COLLECTIONS,
    LETTER_PLACEHOLDERS,
    MARKDOWN,
    PLACEHOLDER_RE,
    SENSITIVITY_LEVELS,
    SINGULAR,
    SLUG_RE,
    Item,
    Project,
    RefTo,
    _strict_date,
    _time,
    field_type,
    type_options,
)
from .resources import MAX_RESOURCE_BYTES
from .slugs import suggest_slug
from .theme import ThemeError, resolve_theme
from .yamlsource import Node, YamlFile

UNUSED_HINTS = {
    "people": "refer to it from a case (subjects), an event (speakers, moderator) or a recommendation "
    "(made_by), or remove it",
    "organisations": "refer to it from an affiliation, a recommendation's addressees, a source's publisher, "
    "an event's organisers or briefgen.yaml, or remove it",
    "sources": "cite it in a text as [@id], list it in a case's sources, or remove it",
    "cases": "list it in a brief's cases (or use 'cases: all'), an event or a recommendation, or remove it",
}


@dataclass
class Entry:
    """One item as written in a content file; `item` is None when it has errors."""

    collection: str
    file: YamlFile
    node: Node
    item: Item | None

    @property
    def id(self) -> str | None:
        return self.node.text("id")


@dataclass
class Settings:
    """briefgen.yaml as written; `project` is None when it has errors or is missing."""

    file: YamlFile | None
    project: Project | None


def check_project(
    root: Path, settings: Settings, entries: list[Entry], complete: bool, failed: bool = False
) -> list[Diagnostic]:
    """Every cross-item error and warning of the project. `failed`: reading the files found
    errors already (then no item is called unused: what refers to it may be what failed)."""
    return _Checker(Path(root), settings, entries, complete, failed).run()


class _Checker:
    def __init__(self, root: Path, settings: Settings, entries: list[Entry], complete: bool, failed: bool):
        self.root, self.entries, self.complete, self.failed = root, entries, complete, failed
        self.settings_file = settings.file if settings.file and settings.file.root else None
        self.settings_node = self.settings_file.root if self.settings_file else None
        self.out: list[Diagnostic] = []
        self.ids: dict[str, dict[str, Entry]] = {c: {} for c in COLLECTIONS}
        self.used: set[tuple[str, str]] = set()
        for entry in entries:
            if entry.id is not None:
                self.ids[entry.collection].setdefault(entry.id, entry)
        audiences = _list_of_maps(self.settings_node, "audiences")
        self.audience_ids = [a.text("id") for a in audiences if a.text("id")] or ["public"]

    def run(self) -> list[Diagnostic]:
        self.duplicate_ids()
        for entry in self.entries:
            self.walk_item(entry)
            self.item_rules(entry)
        if self.settings_node is not None:
            self.settings_rules()
        # With an error anywhere, what refers to an item may be what failed to load (a
        # misspelt `recomendations:`): its "not used" would send the user the wrong way.
        failed = self.failed or any(d.is_error for d in self.out)
        if self.complete and self.settings_node is not None and not failed:
            self.unused_items()
        return self.out

    # -- helpers

    def error(self, file: YamlFile, node: Node, message: str, hint: str | None = None) -> None:
        self.out.append(error(file.path, node.line, node.column, message, hint))

    def warning(self, file: YamlFile, node: Node, message: str, hint: str | None = None) -> None:
        self.out.append(warning(file.path, node.line, node.column, message, hint))

    # -- ids

    def duplicate_ids(self) -> None:
        for entry in self.entries:
            first = self.ids[entry.collection].get(entry.id or "")
            if first is None or first is entry:
                continue
            where = first.node.key("id") or first.node
            self.error(
                entry.file,
                entry.node.key("id") or entry.node,
                f"duplicate {SINGULAR[entry.collection]} id '{entry.id}': already used at "
                f"{first.file.path}:{where.line}:{where.column}",
                f"ids must be unique within {entry.collection}: rename one of them",
            )

    # -- typed walk: references, citations, assets

    def walk_item(self, entry: Entry) -> None:
        for node, metadata in walk(COLLECTIONS[entry.collection], entry.node):
            self.leaf(entry.file, node, metadata)

    def leaf(self, file: YamlFile, node: Node, metadata: tuple[Any, ...]) -> None:
        value = node.value
        if value is None:
            return
        for meta in metadata:
            if isinstance(meta, RefTo):
                self.reference(file, node, meta.collection, value)
            elif meta is MARKDOWN:
                self.citations(file, node, value)
            elif meta is ASSET:
                self.asset(file, node, value)

    def reference(self, file: YamlFile, node: Node, collection: str, value: str) -> None:
        if not SLUG_RE.match(value):
            return  # not an id at all: already reported by the model
        if collection == "audiences":
            known: Any = self.audience_ids
            where = "briefgen.yaml's audiences"
        else:
            known = self.ids[collection]
            where = collection
            self.used.add((collection, value))
        if value in known or (not self.complete and collection != "audiences"):
            return
        singular = SINGULAR[collection]
        self.error(
            file,
            node,
            f"unknown {singular} '{value}': there is no {singular} with this id in {where}",
            _did_you_mean_id(value, known) or f"define it under '{collection}:', or correct the id",
        )

    def citations(self, file: YamlFile, node: Node, text: str) -> None:
        raw = file.text[node.start : node.end]
        searched = 0
        for match in CITATION_RE.finditer(text):
            source_id = match.group(1)
            self.used.add(("sources", source_id))
            found = raw.find(f"[@{source_id}", searched)
            if found >= 0:
                searched = found + 1
            if source_id in self.ids["sources"] or not self.complete:
                continue
            line, column = file.position(node.start + found) if found >= 0 else (node.line, node.column)
            self.out.append(
                error(
                    file.path,
                    line,
                    column,
                    f"citation [@{source_id}] names no source: there is no source with this id in sources",
                    _did_you_mean_id(source_id, self.ids["sources"])
                    or "add the source under 'sources:', or correct the id",
                )
            )

    def asset(self, file: YamlFile, node: Node, value: str) -> None:
        assets = self.root / "assets"
        parts = PurePosixPath(value.replace("\\", "/")).parts
        if value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value):
            message = f"'{value}' is an absolute path; asset paths are relative to assets/"
        elif ".." in parts:
            message = f"'{value}' leads out of assets/ ('..' is not allowed in an asset path)"
        else:
            path = assets.joinpath(*parts)
            try:
                inside = path.resolve().is_relative_to(assets.resolve()) and assets.resolve().is_relative_to(
                    self.root.resolve()
                )
                exists = path.is_file()
            except (OSError, RuntimeError, ValueError):
                inside, exists = False, False
            if not inside:
                message = f"'{value}' is a link that leads out of assets/"
            elif exists:
                self.image(file, node, path, value)
                return
            elif path.is_dir():
                message = f"'{value}' is a folder, not a file"
            else:
                names = _asset_names(assets)
                hint = _did_you_mean(value, names) or (
                    f"put the file at assets/{value}, or correct the path (it is relative to assets/)"
                )
                self.error(file, node, f"'{value}' names a missing file: assets/{value} does not exist", hint)
                return
        self.error(file, node, message, "write a path inside assets/, e.g. photos/name.jpg")

    def image(self, file: YamlFile, node: Node, path: Path, value: str) -> None:
        """An asset must be an image briefgen can clean: what its name says, whole, of sane
        size, an SVG without active content (images.check_image: what the writers' cleaning
        would refuse, refused here at the line that names it)."""
        name = f"assets/{value}"
        try:
            if path.stat().st_size > MAX_RESOURCE_BYTES:
                limit = MAX_RESOURCE_BYTES // (1024 * 1024)
                self.error(file, node, f"{name}: larger than {limit} MiB", "scale the image down")
                return
            check_image(path.read_bytes(), name)
        except ImageError as exc:
            self.error(file, node, exc.message, exc.hint or None)
        except OSError as exc:
            self.error(file, node, f"{name}: cannot be read ({exc.strerror})", None)

    # -- rules on single items

    def item_rules(self, entry: Entry) -> None:
        node = entry.node
        singular = SINGULAR[entry.collection]
        if entry.collection == "events":
            self.event_order(entry)
        alt = node.get("photo_alt")
        no_alt = alt is None or (alt.kind == "scalar" and not (alt.value or "").strip())
        if entry.collection == "people" and node.text("photo") and no_alt:
            self.error(
                entry.file,
                node.key("photo") or node,
                f"{singular} '{entry.id}' has a photo but no photo_alt",
                "add photo_alt: a short description of the photo for readers who cannot see it",
            )
        if entry.collection == "cases" and entry.item is not None and not _case_has_sources(node):
            self.warning(
                entry.file,
                node.key("id") or node,
                f"case '{entry.id}' names no sources",
                "list the sources that support it ('sources: [source-id]'), or cite them as [@source-id]",
            )

    def event_order(self, entry: Entry) -> None:
        """An event that ends before it starts. Read from the fields as written, so that it
        is reported beside the event's other mistakes (a misspelt time zone, say): each
        comparison needs only its own fields to be valid."""
        node = entry.node
        day, end_day = _written(node, "date", _strict_date), _written(node, "end_date", _strict_date)
        if day is not None and end_day is not None and end_day < day:
            self.error(
                entry.file,
                node.get("end_date") or node,
                f"end_date {end_day} is before date {day}",
                "an event ends on or after the day it starts: correct one of the two dates",
            )
        start, end = _written(node, "time", _time), _written(node, "end_time", _time)
        one_day = node.text("end_date") is None or (end_day is not None and end_day == day)
        if start is not None and end is not None and one_day and end < start:
            self.error(
                entry.file,
                node.get("end_time") or node,
                f"end_time {end} is before time {start} on the same day",
                "correct one of the two times, or give the day it ends as end_date",
            )

    # -- briefgen.yaml

    def settings_rules(self) -> None:
        file, node = self.settings_file, self.settings_node
        assert file is not None and node is not None
        for leaf, metadata in walk(Project, node):
            self.leaf(file, leaf, metadata)
        for section in ("audiences", "briefs"):
            seen: dict[str, Node] = {}
            for item in _list_of_maps(node, section):
                item_id = item.text("id")
                if item_id and item_id in seen:
                    self.error(
                        file,
                        item.key("id") or item,
                        f"{SINGULAR[section]} id '{item_id}' is used twice "
                        f"(first at line {seen[item_id].line})",
                        f"ids of {section} must be unique: rename one of them",
                    )
                elif item_id:
                    seen[item_id] = item
        self.language(file, node.get("language"))
        for audience in _list_of_maps(node, "audiences"):
            self.language(file, audience.get("language"))
        for brief in _list_of_maps(node, "briefs"):
            self.brief(file, brief)

    def brief(self, file: YamlFile, brief: Node) -> None:
        for collection in ("cases", "recommendations"):
            value = brief.get(collection)
            if value is not None and value.kind == "scalar" and value.value == "all":
                self.used.update((collection, i) for i in self.ids[collection])
        languages = brief.get("languages")
        for language in languages.items if languages is not None and languages.kind == "seq" else []:
            self.language(file, language)
        template = brief.get("template")
        if template is not None and template.kind == "scalar" and template.value:
            self.template(file, template, template.value)
            if template.value == "event-summary" and brief.get("event") is None:
                self.error(
                    file,
                    template,
                    f"brief '{brief.text('id')}' uses the template event-summary but names no event",
                    "add 'event: EVENT-ID' to the brief",
                )
            elif template.value == "event-summary":
                self.event_clearance(file, brief, brief.get("event"))
        charts = brief.get("charts")
        for chart in charts.items if charts is not None and charts.kind == "seq" else []:
            self.chart(file, chart)
        recipients = brief.get("recipients")
        if recipients is not None and recipients.kind == "map":
            tags = recipients.get("tags")
            for tag in tags.items if tags is not None and tags.kind == "seq" else []:
                self.recipient_tag(file, tag)
        letter = brief.get("letter")
        if letter is not None and letter.kind == "map":
            self.letter(file, brief, letter)

    def letter(self, file: YamlFile, brief: Node, letter: Node) -> None:
        brief_id = brief.text("id")
        if brief.get("recipients") is None:
            self.error(
                file,
                brief.key("letter") or letter,
                f"brief '{brief_id}' has a letter but no recipients: a letter opens each recipient's copy",
                "add 'recipients: all', or a list of recipient ids, to the brief; or remove the letter",
            )
        body = letter.get("body")
        texts = (
            [body]
            if body is not None and body.kind == "scalar"
            else [v for _, v in (body.pairs if body else [])]
        )
        for node in texts:
            self.placeholders(file, node)
        self.signatories(file, brief, letter.get("signatories"))

    def placeholders(self, file: YamlFile, node: Node) -> None:
        if node.kind != "scalar" or not node.value:
            return
        raw = file.text[node.start : node.end]
        searched = 0
        for match in PLACEHOLDER_RE.finditer(node.value):
            name = match.group(1).strip()
            found = raw.find(match.group(0), searched)
            if found >= 0:
                searched = found + 1
            if name in LETTER_PLACEHOLDERS:
                continue
            line, column = file.position(node.start + found) if found >= 0 else (node.line, node.column)
            close = _did_you_mean(name, LETTER_PLACEHOLDERS)
            self.out.append(
                error(
                    file.path,
                    line,
                    column,
                    f"unknown placeholder {match.group(0)} in the letter",
                    close
                    or "use {recipient.name}, {recipient.title}, {recipient.organisation} or {brief.title}",
                )
            )

    def receiving(self, brief: Node) -> list[tuple[str, str]]:
        """(audience id, clearance) of each audience a brief is built for (an unknown one, or
        the implicit audience of a brief that names none, is public)."""
        audiences = {
            a.text("id"): a.text("clearance") or "public"
            for a in _list_of_maps(self.settings_node, "audiences")
        }
        named = brief.get("audiences")
        if named is None:
            return [("public", "public")]  # plan.brief_audiences: the implicit audience
        return [(a.value or "", audiences.get(a.value, "public")) for a in _scalars(named)]

    def event_clearance(self, file: YamlFile, brief: Node, event: Node | None) -> None:
        """An event summary is about its event: every audience it is built for must be
        cleared for it (removed, the event would leave the template nothing to show). Only
        ids and levels are named: nothing of the event itself."""
        if event is None or event.kind != "scalar" or not event.value:
            return
        entry = self.ids["events"].get(event.value)
        if entry is None:
            return  # an unknown event: reported by the reference check
        level = entry.node.text("sensitivity") or "public"
        if level not in SENSITIVITY_LEVELS:
            return  # reported where the event is typed
        # The audiences that exist: those defined, else the implicit public one.
        known = {a.text("id") for a in _list_of_maps(self.settings_node, "audiences")} or {"public"}
        for audience, clearance in self.receiving(brief):
            if audience not in known and brief.get("audiences") is not None:
                continue  # an unknown audience: reported by the reference check
            if clearance not in SENSITIVITY_LEVELS or _rank(level) <= _rank(clearance):
                continue
            hint = (
                f"raise the clearance of '{audience}' to {level}, lower the sensitivity of event "
                f"'{event.value}', or drop '{audience}' from the brief's audiences"
            )
            if brief.get("audiences") is None:  # built for the implicit public audience
                hint = (
                    f"list the brief's audiences, cleared for {level} (audiences: [...]), or lower "
                    f"the sensitivity of event '{event.value}'"
                )
            self.error(
                file,
                event,
                f"audience '{audience}' (clearance {clearance}) may not see event '{event.value}' "
                f"(sensitivity {level}), which brief '{brief.text('id')}' summarises",
                hint,
            )

    def signatories(self, file: YamlFile, brief: Node, signatories: Node | None) -> None:
        """A signatory must be visible to every audience that receives the letter."""
        receiving = self.receiving(brief)
        for node in _scalars(signatories):
            entry = self.ids["people"].get(node.value or "")
            if entry is None:
                continue  # an unknown person: reported by the reference check
            level = entry.node.text("sensitivity") or "public"
            for audience, clearance in receiving:
                if (
                    level in SENSITIVITY_LEVELS
                    and clearance in SENSITIVITY_LEVELS
                    and (SENSITIVITY_LEVELS.index(level) > SENSITIVITY_LEVELS.index(clearance))
                ):
                    self.error(
                        file,
                        node,
                        f"signatory '{node.value}' is {level}, but the audience '{audience}' receiving "
                        f"this letter is cleared only for {clearance} content",
                        f"sign with a person whose sensitivity is {clearance}, or leave '{audience}' "
                        "out of the brief's audiences",
                    )
                    break

    def chart(self, file: YamlFile, node: Node) -> None:
        """A brief's chart: a built-in one, or the id of a figure."""
        name = node.value if node.kind == "scalar" else None
        if not name or not SLUG_RE.match(name) or name in BUILTIN_CHARTS:
            return
        self.used.add(("figures", name))
        if name in self.ids["figures"] or not self.complete:
            return
        self.error(
            file,
            node,
            f"unknown chart '{name}': it is not built in ({', '.join(BUILTIN_CHARTS)}) and there is "
            "no figure with this id in figures",
            _did_you_mean(name, [*BUILTIN_CHARTS, *self.ids["figures"]])
            or "define it under 'figures:', or correct the name",
        )

    def template(self, file: YamlFile, node: Node, name: str) -> None:
        if name in BUILTIN_NAMES:
            return
        if not TEMPLATE_NAME_RE.match(name):
            self.error(
                file,
                node,
                f"template '{name}' is not a template name",
                "write the name alone, without folder or suffix: policy-brief, "
                f"or NAME for templates/NAME{TEMPLATE_SUFFIX}",
            )
            return
        known = self.templates.brief_names()
        if name in known:
            return
        theme_templates = self.templates.theme_templates
        theme = " or its theme" if theme_templates is not None and theme_templates.is_dir() else ""
        self.error(
            file,
            node,
            f"unknown template '{name}': it is not built in ({', '.join(BUILTIN_NAMES)}) and there is "
            f"no templates/{name}{TEMPLATE_SUFFIX} in the project{theme}",
            _did_you_mean(name, known),
        )

    @functools.cached_property
    def templates(self) -> TemplateChain:
        """The project's template chain, with its theme's templates when the theme is found
        (a theme that is not is reported by theme.py)."""
        name = (self.settings_node.text("theme") if self.settings_node else None) or "default"
        try:
            theme_templates = resolve_theme(name, self.root) / "templates"
        except ThemeError:
            theme_templates = None
        return TemplateChain(self.root, theme_templates)

    def language(self, file: YamlFile, node: Node | None) -> None:
        if node is None or node.kind != "scalar" or not node.value:
            return
        code = node.value
        if re.match(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", code) and not known_language(code):
            self.error(
                file, node, f"unknown language '{code}'", "use a language code such as en, ru, az, de or fr"
            )

    def recipient_tag(self, file: YamlFile, node: Node) -> None:
        tag = node.value
        if tag is None or not self.complete:
            return
        tags = {
            t.value for e in self.ids["recipients"].values() for t in _scalars(e.node.get("tags")) if t.value
        }
        if tag not in tags:
            self.error(
                file,
                node,
                f"no recipient has the tag '{tag}'",
                _did_you_mean(tag, sorted(tags)) or "add the tag to the recipients it should select",
            )

    # -- warnings

    def unused_items(self) -> None:
        for collection in ("people", "organisations", "sources", "cases"):
            for item_id, entry in self.ids[collection].items():
                if (collection, item_id) in self.used or entry.item is None:
                    continue
                self.warning(
                    entry.file,
                    entry.node.key("id") or entry.node,
                    f"{SINGULAR[collection]} '{item_id}' is not used: nothing refers to it",
                    UNUSED_HINTS[collection],
                )


# ---------------------------------------------------------------- walking nodes with their types


def walk(annotation: Any, node: Node) -> Iterator[tuple[Node, tuple[Any, ...]]]:
    """Every scalar under `node` with the metadata of its type in `annotation` (e.g. RefTo,
    MARKDOWN); union members are chosen by the node's kind, unknown keys are skipped."""
    options = type_options(annotation)
    if node.kind == "scalar":
        for bare, metadata in options:
            if not _is_container(bare):
                yield node, metadata
                return
        return
    for bare, _ in options:
        origin = getattr(bare, "__origin__", None)
        if node.kind == "seq" and origin is list:
            for child in node.items:
                yield from walk(bare.__args__[0], child)
            return
        if node.kind == "map" and isinstance(bare, type) and issubclass(bare, BaseModel):
            for key, value in node.pairs:
                info = bare.model_fields.get(key.value or "")
                if info is not None:
                    yield from walk(field_type(info), value)
            return
        if node.kind == "map" and origin is dict:
            for _, value in node.pairs:
                yield from walk(bare.__args__[1], value)
            return


def _is_container(bare: Any) -> bool:
    origin = getattr(bare, "__origin__", None)
    return origin in (list, dict) or (isinstance(bare, type) and issubclass(bare, BaseModel))


def _list_of_maps(node: Node | None, key: str) -> list[Node]:
    value = node.get(key) if node is not None and node.kind == "map" else None
    if value is None or value.kind != "seq":
        return []
    return [item for item in value.items if item.kind == "map"]


def _scalars(node: Node | None) -> list[Node]:
    if node is None or node.kind != "seq":
        return []
    return [item for item in node.items if item.kind == "scalar"]


def _rank(level: str) -> int:
    return SENSITIVITY_LEVELS.index(level)


def _written(node: Node, name: str, parse: Any) -> Any:
    """The value of scalar field `name` as its type reads it, or None if absent or invalid
    (an invalid value is reported where the item is typed)."""
    value = node.text(name)
    if value is None:
        return None
    try:
        return parse(value)
    except ValueError:
        return None


def _case_has_sources(node: Node) -> bool:
    if _scalars(node.get("sources")):
        return True
    if any(entry.get("source") is not None for entry in _list_of_maps(node, "timeline")):
        return True
    return any(
        leaf.value and CITATION_RE.search(leaf.value)
        for leaf, metadata in walk(COLLECTIONS["cases"], node)
        if MARKDOWN in metadata
    )


def _asset_names(assets: Path) -> list[str]:
    if not assets.is_dir():
        return []
    return sorted(p.relative_to(assets).as_posix() for p in assets.rglob("*") if p.is_file())[:2000]


@functools.lru_cache(maxsize=256)
def known_language(code: str) -> bool:
    try:
        from babel import Locale, UnknownLocaleError
    except ImportError:  # pragma: no cover - babel is a dependency
        return True
    try:
        Locale.parse(code, sep="-")
    except (UnknownLocaleError, ValueError):
        return False
    return True


def _did_you_mean(word: str, choices: Any) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def _did_you_mean_id(word: str, known: Any) -> str | None:
    """A close valid id; or, when the intended item's own id is invalid, how to correct it."""
    valid = [i for i in known if SLUG_RE.match(i)]
    for invalid in (i for i in known if not SLUG_RE.match(i)):
        if suggest_slug(invalid) == word:
            # The content's ids map to their entries; briefgen.yaml's audiences are a list.
            entry = known.get(invalid) if isinstance(known, dict) else None
            where = ""
            if isinstance(entry, Entry):
                id_node = entry.node.get("id") or entry.node
                where = f" at {entry.file.path}:{id_node.line}:{id_node.column}"
            return f"the item{where} has the id '{invalid}', which is not valid: correct it to '{word}'"
    return _did_you_mean(word, valid)
