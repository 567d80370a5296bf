"""Translate: the project's content <-> PO files for translators, and how much is translated.

- `export_po`: model + language + briefs + clearance -> a PO file with every text the briefs
  show (translatable.shown_texts, so a text above the clearance never enters it): msgctxt
  the value's stable path, msgid the project-language text, msgstr the existing
  translation, `#:` the YAML file and line, `#.` what the text is and what to keep.
- `import_po`: project + PO bytes -> the translations written into the YAML files as
  localized values (yamledit, so nothing else in the files changes), or every problem at
  its PO line and nothing written.
- `status`: model -> per brief and language, the share of words translated and the values
  that fall back to the project language.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .diagnostics import Diagnostic, error, warning
from .load import SETTINGS_FILE, load_project
from .model import COLLECTIONS, LANG_RE, SENSITIVITY_LEVELS, Model
from .plan import UsageError, brief_languages
from .pofile import PoCatalog, PoError, PoMessage, read_po, write_po
from .translatable import (
    SETTINGS_COLLECTIONS,
    Translatable,
    is_localized,
    is_markdown,
    list_entries,
    marker_problems,
    markers,
    shown_texts,
    value_type,
    word_count,
    written_value,
)
from .yamledit import WriteError, YamlDocument, YamlEditError, write_documents

_KINDS = {
    "organisations": "Organisation",
    "people": "Person",
    "cases": "Case",
    "events": "Event",
    "recommendations": "Recommendation",
    "sources": "Source",
    "recipients": "Recipient",
    "briefs": "Brief",
    "audiences": "Audience",
}


# ---------------------------------------------------------------- export


def export_po(
    model: Model, language: str, briefs: list[str] | None = None, clearance: str = "public"
) -> tuple[bytes, int]:
    """(the PO file, the number of texts in it) for translating `briefs` into `language`."""
    project_language = model.project.language
    if language == project_language:
        raise UsageError(f"{language} is the project language: there is nothing to translate into it")
    if clearance not in SENSITIVITY_LEVELS:
        raise UsageError(f"unknown clearance {clearance!r}; use one of: {', '.join(SENSITIVITY_LEVELS)}")
    known = [b.id for b in model.project.briefs]
    for brief_id in briefs or []:
        if brief_id not in known:
            raise UsageError(f"unknown brief {brief_id!r}; the project defines: {', '.join(known)}")
    texts: dict[str, Translatable] = {}
    shown_in: dict[str, list[str]] = {}
    for brief in model.project.briefs:
        if briefs and brief.id not in briefs:
            continue
        for text in shown_texts(model, brief, clearance=clearance, language=language):
            texts.setdefault(text.context, text)
            shown_in.setdefault(text.context, []).append(brief.id)
    labels = _labels(texts.values(), project_language)
    for case_id, case in model.cases.items():  # a case without a title: its subjects' names
        names = [labels.get(("people", s)) for s in case.subjects]
        if ("cases", case_id) not in labels and names and all(names):  # none withheld
            labels[("cases", case_id)] = ", ".join(names)  # type: ignore[arg-type]
    entries = []
    for text in texts.values():
        source = text.source(project_language)
        if not source or not source.strip():
            continue  # no text in the project language to translate from
        path, line = text.where(model, project_language)
        message = PoMessage(
            msgid=source,
            msgstr=text.translation(language) or "",
            msgctxt=text.context,
            references=[f"{path}:{line}"],
            auto_comments=_comments(text, labels, shown_in[text.context], source),
        )
        entries.append(((path != SETTINGS_FILE, path, line), message))
    entries.sort(key=lambda e: e[0])
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    created = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    messages = [m for _, m in entries]
    return write_po(messages, language, model.project.name, created), len(messages)


def _labels(texts, language: str) -> dict[tuple[str, str], str]:
    """A readable name per item, from its own title or name as shown in the export."""
    labels: dict[tuple[str, str], str] = {}
    for text in texts:
        if text.field in (("title",), ("name",)):
            source = text.source(language)
            if source:
                labels.setdefault((text.collection, text.item_id), " ".join(source.split()))
    return labels


def _comments(text: Translatable, labels: dict, briefs: list[str], source: str) -> list[str]:
    kind = _KINDS.get(text.collection, text.collection)
    label = labels.get((text.collection, text.item_id))
    field = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in text.field).replace(".[", "[")
    who = f"{kind} '{text.item_id}'" + (f" ({label})" if label else "")
    kind_of_text = "markdown" if text.markdown else "one line of text"
    comments = [f"{who}: {field}, {kind_of_text}", f"Shown in: {', '.join(dict.fromkeys(briefs))}"]
    keep = [m for counter in markers(source).values() for m in sorted(counter)]
    if keep:
        comments.append(f"Keep exactly: {', '.join(keep)}")
    if text.markdown and any(c in source for c in "*_[`"):
        comments.append("Keep the markdown marks (*emphasis*, [text](link)) around the translated words")
    return comments


# ---------------------------------------------------------------- import


@dataclass
class ImportReport:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # files changed
    applied: int = 0  # translations written
    unchanged: int = 0  # translations already in the files
    untranslated: int = 0  # empty or fuzzy msgstr
    skipped: int = 0  # stale or unknown entries, reported as warnings

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]


@dataclass
class _Edit:
    message: PoMessage
    text: Translatable
    file: str


def import_po(root: Path, raw: bytes, po_label: str) -> ImportReport:
    """Write the translations of a PO file into the project's YAML files; nothing is written
    while any error remains (report.errors)."""
    report = ImportReport()
    try:
        catalog = read_po(raw)
    except PoError as exc:
        report.diagnostics += [error(po_label, p.line, p.column, p.message, p.hint) for p in exc.problems]
        return report
    language = catalog.header.get("Language", "").strip().replace("_", "-")
    if not language:
        report.diagnostics.append(
            error(
                po_label,
                catalog.header_line,
                1,
                "the PO file does not say its language (no 'Language:' header)",
                "export it again with `briefgen translate export --lang CODE`, or set it in your CAT tool",
            )
        )
        return report
    if not LANG_RE.match(language):
        # It becomes a key of the content files: "fr: x" or "../x" would be written there.
        report.diagnostics.append(
            error(
                po_label,
                catalog.header_line,
                1,
                f"the PO file's 'Language:' header says {language!r}, which is not a language code",
                "write a code such as fr, ru or pt-BR, as `briefgen translate export` wrote it",
            )
        )
        return report
    loaded = load_project(root)
    if loaded.model is None:
        report.diagnostics += loaded.errors
        return report
    model = loaded.model
    project_language = model.project.language
    offered = {code for brief in model.project.briefs for code in brief_languages(model, brief)}
    if language not in offered and language.split("-")[0] in offered:
        language = language.split("-")[0]  # a CAT tool's fr_FR for a project that builds fr
    if language == project_language:
        report.diagnostics.append(
            error(po_label, catalog.header_line, 1, f"the PO file is in {language}, the project language")
        )
        return report
    edits = _check_messages(catalog, model, language, po_label, report)
    if report.errors:
        return report
    documents: dict[str, YamlDocument] = {}
    for edit in edits:
        try:
            doc = documents.get(edit.file)
            if doc is None:
                doc = documents[edit.file] = YamlDocument.read(root / edit.file, edit.file)
            changed = _write(doc, edit.text, language, edit.message.msgstr, project_language)
        except YamlEditError as exc:
            report.diagnostics.append(
                error(
                    po_label,
                    edit.message.msgstr_line,
                    1,
                    f"cannot write this translation into {edit.file}: {exc.message}",
                    "write this one by hand; nothing was written",
                )
            )
        else:
            report.applied += int(changed)
            report.unchanged += int(not changed)
    if report.errors:
        report.applied = 0
        return report
    try:
        written = write_documents((root / name, doc) for name, doc in documents.items())
    except WriteError as exc:
        report.diagnostics.append(exc.diagnostic(root))
        report.applied = 0
        return report
    report.written = [p.relative_to(root).as_posix() for p in written]
    return report


def _check_messages(
    catalog: PoCatalog, model: Model, language: str, po_label: str, report: ImportReport
) -> list[_Edit]:
    project_language = model.project.language
    edits = []
    for message in catalog.messages:
        line = message.msgstr_line
        if not message.msgstr.strip() or message.fuzzy or message.plural:
            report.untranslated += 1
            continue
        text, file = _resolve(model, message.msgctxt)
        if text is None:
            report.skipped += 1
            report.diagnostics.append(
                warning(
                    po_label,
                    message.line,
                    1,
                    f"'{message.msgctxt or message.msgid[:40]}' is not a translatable text of the project "
                    "(removed or renamed since the export?); not applied",
                    "export the file again and translate the new entries",
                )
            )
            continue
        source = text.source(project_language)
        if source != message.msgid:
            report.skipped += 1
            report.diagnostics.append(
                warning(
                    po_label,
                    message.line,
                    1,
                    f"the source text of {message.msgctxt} has changed since the export; not applied",
                    "export the file again: your CAT tool's translation memory will offer this translation",
                )
            )
            continue
        problems = marker_problems(message.msgid, message.msgstr)
        if not text.markdown and "\n" in message.msgstr.strip():
            problems.append("this field is a single line of text, but the translation has line breaks")
        for problem in problems:
            report.diagnostics.append(
                error(po_label, line, 1, f"{message.msgctxt}: {problem}", "copy it from the msgid unchanged")
            )
        if problems:
            continue
        if isinstance(text.value, dict) and text.value.get(language) == message.msgstr:
            report.unchanged += 1
            continue
        edits.append(_Edit(message, text, file))
    return edits


def _resolve(model: Model, context: str | None) -> tuple[Translatable | None, str]:
    """The project's localized value at a msgctxt path, and its file; (None, "") if none."""
    if not context:
        return None, ""
    collection, _, rest = context.partition("/")
    item_id, _, field_text = rest.partition("/")
    if not item_id or not field_text:
        return None, ""
    field = tuple(int(p) if p.isdigit() else p for p in field_text.split("/"))
    annotation = value_type(collection, field)
    if annotation is None or not is_localized(annotation):
        return None, ""
    if collection in SETTINGS_COLLECTIONS:
        file = SETTINGS_FILE
    elif collection in COLLECTIONS:
        file = model.positions.get((collection, item_id), ("",))[0]
    else:
        return None, ""
    if isinstance(field[-1], int):
        lists = written_value(model, collection, item_id, field[:-1])
        if isinstance(lists, dict):  # a localized list
            entries = list_entries(collection, item_id, field[:-1], lists, model.project.language, annotation)
            found = next((e for e in entries if e.field == field), None)
            return found, file if found else ""
    value = written_value(model, collection, item_id, field)
    if value is None or not isinstance(value, str | dict):
        return None, ""
    return Translatable(collection, item_id, field, value, is_markdown(annotation)), file


def _write(doc: YamlDocument, text: Translatable, language: str, value: str, source_language: str) -> bool:
    """Write one translation; whether the file changed."""
    if not text.in_list:
        return doc.set_translation(text.yaml_path, language, value, source_language)
    # A localized list: the entry at the same position of the language's own list.
    container, index = text.yaml_path[:-1], text.yaml_path[-1]
    assert isinstance(index, int)
    own = doc.node((*container, language))
    if own is None and index == 0:
        doc.add_key(container, language, [value])
        return True
    if own is not None and own.kind == "seq" and index < len(own.items):
        return doc.set_scalar((*container, language, index), value)
    if own is not None and own.kind == "seq" and index == len(own.items):
        doc.append_item((*container, language), value)
        return True
    raise YamlEditError(
        f"the {language} list of {text.context.rsplit('/', 1)[0]} has no entry before position {index}; "
        "translate the entries in order"
    )


# ---------------------------------------------------------------- status


@dataclass
class StatusRow:
    brief: str
    language: str
    words: int
    translated_words: int
    fallbacks: list[tuple[str, int, str]]  # (file, line, msgctxt path)

    @property
    def percent(self) -> float:
        return 100.0 if not self.words else 100.0 * self.translated_words / self.words


def status(model: Model) -> list[StatusRow]:
    """Per brief and language other than the project's: how much of the text the brief's
    outputs show (to each of its audiences) is translated."""
    project_language = model.project.language
    rows = []
    for brief in model.project.briefs:
        for language in brief_languages(model, brief):
            if language == project_language:
                continue
            words = translated = 0
            fallbacks = []
            for text in shown_texts(model, brief, clearance=None, language=language):
                source = text.source(project_language)
                if not source:
                    continue
                count = word_count(source)
                words += count
                if text.translation(language) is not None:
                    translated += count
                else:
                    path, line = text.where(model, project_language)
                    fallbacks.append((path, line, text.context))
            rows.append(StatusRow(brief.id, language, words, translated, sorted(fallbacks)))
    return rows
