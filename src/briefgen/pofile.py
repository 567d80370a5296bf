"""Gettext PO files <-> messages with the lines they were written on.

Writing uses Babel's catalog writer (babel.messages), the library briefgen already uses for
its label catalogs, so exported files look like every other PO file CAT tools (Poedit,
Weblate, OmegaT) read.

Reading is strict and done here. Babel's and polib's readers are lenient by design: an
unterminated string, a `msgstr` without quotes or an unknown escape is read as an empty or
altered translation without a word, and neither keeps the line of each `msgstr`. For an
import that writes into the organisation's files, a damaged PO file must be an error at its
line, and each translation's problems must point at the line of its `msgstr`, so
`read_po` checks the syntax of every line and records where each message was written.
Obsolete entries (`#~`) are skipped; plural entries are read but carry no single text.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import datetime

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po as babel_write_po

_KEYWORD = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(.*)$")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


@dataclass(frozen=True)
class PoProblem:
    line: int
    column: int
    message: str
    hint: str | None = None


class PoError(Exception):
    """The file cannot be read as a PO file; `problems` say where and why."""

    def __init__(self, problems: list[PoProblem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass
class PoMessage:
    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    line: int = 0  # the first line of the entry (its first comment or keyword)
    msgstr_line: int = 0
    flags: set[str] = field(default_factory=set)
    comments: list[str] = field(default_factory=list)  # translator comments (#)
    auto_comments: list[str] = field(default_factory=list)  # extracted comments (#.)
    references: list[str] = field(default_factory=list)  # #: file:line
    plural: bool = False

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags


@dataclass
class PoCatalog:
    messages: list[PoMessage]  # without the header
    header: dict[str, str]
    header_line: int = 1


# ---------------------------------------------------------------- reading


def read_po(raw: bytes) -> PoCatalog:
    """The messages of a PO file's bytes; raises PoError with every syntax problem found."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise PoError(
            [PoProblem(line, 1, "the file is not UTF-8 text", "save it as UTF-8 (Poedit and Weblate do)")]
        ) from None
    reader = _Reader(text.removeprefix("\ufeff"))
    reader.run()
    if reader.problems:
        raise PoError(reader.problems)
    header: dict[str, str] = {}
    header_line = 1
    messages = []
    for message in reader.messages:
        if message.msgid == "" and message.msgctxt is None:
            header = _header_fields(message.msgstr)
            header_line = message.line
            continue
        messages.append(message)
    charset = re.search(r"charset=([\w.-]+)", header.get("Content-Type", ""))
    if charset and charset.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
        raise PoError(
            [PoProblem(header_line, 1, f"the file declares charset {charset.group(1)}", "save it as UTF-8")]
        )
    return PoCatalog(messages, header, header_line)


def _header_fields(text: str) -> dict[str, str]:
    fields = {}
    for line in text.split("\n"):
        name, sep, value = line.partition(":")
        if sep:
            fields[name.strip()] = value.strip()
    return fields


class _Reader:
    def __init__(self, text: str):
        self.lines = text.split("\n")
        self.problems: list[PoProblem] = []
        self.messages: list[PoMessage] = []
        self.seen: dict[tuple[str | None, str], int] = {}

    def problem(self, line: int, column: int, message: str, hint: str | None = None) -> None:
        self.problems.append(PoProblem(line, column, message, hint))

    def run(self) -> None:
        entry: dict = self._new_entry()
        current: str | None = None  # the keyword whose strings continue
        for number, line in enumerate(self.lines, start=1):
            stripped = line.strip()
            if not stripped:
                continue
            if stripped.startswith("#"):
                if "msgstr" in entry["fields"] or "msgstr[]" in entry["fields"]:
                    self._finish(entry)
                    entry = self._new_entry()
                current = None
                if not stripped.startswith("#~"):  # obsolete entries are not read
                    self._comment(entry, stripped, number)
                continue
            if stripped.startswith('"'):
                if current is None:
                    self.problem(
                        number, 1, "a string without a keyword before it", "start it with msgid or msgstr"
                    )
                    continue
                value = self._string(stripped, number, line.index('"') + 1)
                if value is not None:
                    entry["fields"][current] = entry["fields"][current] + value
                continue
            match = _KEYWORD.match(stripped)
            if not match:
                word = stripped.split()[0]
                self.problem(
                    number,
                    1,
                    f"'{word[:30]}' is not a PO keyword",
                    "expected msgctxt, msgid, msgstr or a # comment",
                )
                current = None
                continue
            keyword = match.group(1)
            name = "msgstr[]" if match.group(2) is not None else keyword
            if name in ("msgctxt", "msgid") and "msgid" in entry["fields"]:
                self._finish(entry)  # the next entry starts (reports a msgid without a msgstr)
                entry = self._new_entry()
            if name in entry["fields"] and name != "msgstr[]":
                self.problem(
                    number, 1, f"a second {keyword} in one entry", "separate entries with a blank line"
                )
            if name in ("msgstr", "msgstr[]", "msgid_plural") and "msgid" not in entry["fields"]:
                self.problem(number, 1, f"{keyword} without a msgid before it")
            entry["lines"].setdefault(name, number)
            if not entry["start"]:
                entry["start"] = number
            column = len(line.rstrip()) - len(match.group(3)) + 1
            value = self._string(match.group(3).strip(), number, column)
            current = f"msgstr[{match.group(2)}]" if name == "msgstr[]" else name
            entry["fields"].setdefault(name, "")
            entry["fields"][current] = value if value is not None else ""
        self._finish(entry)

    def _new_entry(self) -> dict:
        return {"fields": {}, "lines": {}, "flags": set(), "comments": [], "auto": [], "refs": [],
                "start": 0}  # fmt: skip

    def _comment(self, entry: dict, stripped: str, number: int) -> None:
        if not entry["start"]:
            entry["start"] = number
        kind, text = stripped[:2], stripped[2:].strip()
        if kind == "#,":
            entry["flags"].update(f.strip() for f in text.split(",") if f.strip())
        elif kind == "#.":
            entry["auto"].append(text)
        elif kind == "#:":
            entry["refs"].extend(text.split())
        elif kind == "#|":
            pass  # the previous msgid of a fuzzy entry: informational
        else:
            entry["comments"].append(stripped[1:].strip())

    def _finish(self, entry: dict) -> None:
        fields, lines = entry["fields"], entry["lines"]
        if not fields:
            return  # comments at the end of the file
        if "msgid" in fields and "msgstr" not in fields and "msgstr[]" not in fields:
            self.problem(lines["msgid"], 1, "msgid without a msgstr", 'add msgstr "" after it')
            return
        if "msgid" not in fields:
            return  # already reported
        plural = "msgid_plural" in fields
        message = PoMessage(
            msgid=fields["msgid"],
            msgstr=fields.get("msgstr", ""),
            msgctxt=fields.get("msgctxt"),
            line=entry["start"],
            msgstr_line=lines.get("msgstr") or lines.get("msgstr[]") or lines["msgid"],
            flags=entry["flags"],
            comments=entry["comments"],
            auto_comments=entry["auto"],
            references=entry["refs"],
            plural=plural,
        )
        key = (message.msgctxt, message.msgid)
        if key in self.seen:
            where = f" (context '{message.msgctxt}')" if message.msgctxt else ""
            self.problem(
                lines["msgid"], 1, f"this message{where} is already in the file at line {self.seen[key]}",
                "keep one of the two entries",
            )  # fmt: skip
            return
        self.seen[key] = lines["msgid"]
        self.messages.append(message)

    def _string(self, text: str, line: int, column: int) -> str | None:
        """The value of one quoted PO string, or None (a problem is recorded)."""
        if not text.startswith('"'):
            self.problem(line, column, "expected a string in double quotes", 'write msgstr "..."')
            return None
        out = []
        index = 1
        while index < len(text):
            char = text[index]
            if char == "\\":
                if index + 1 >= len(text):
                    break
                escape = text[index + 1]
                if escape not in _ESCAPES:
                    self.problem(
                        line, column + index, f"unknown escape '\\{escape}' in a string",
                        "write a backslash as \\\\",
                    )  # fmt: skip
                    return None
                out.append(_ESCAPES[escape])
                index += 2
                continue
            if char == '"':
                rest = text[index + 1 :].strip()
                if rest:
                    self.problem(
                        line, column + index, "text after the closing quote (a quote inside the string "
                        'must be written \\")',
                    )  # fmt: skip
                    return None
                return "".join(out)
            out.append(char)
            index += 1
        self.problem(line, column, "the string is not closed by a double quote on this line")
        return None


# ---------------------------------------------------------------- writing


def write_po(
    messages: list[PoMessage],
    language: str,
    project: str,
    created: datetime,
    width: int = 76,
) -> bytes:
    """A PO file of `messages` for translators into `language`, in the order given."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        locale = None
    catalog = Catalog(
        locale=locale,
        project=project,
        version=None,
        creation_date=created,
        revision_date=created,
        fuzzy=False,
        copyright_holder=project,
        charset="utf-8",
    )
    for message in messages:
        catalog.add(
            message.msgid,
            message.msgstr,
            locations=[_location(r) for r in message.references],
            flags=sorted(message.flags),
            auto_comments=message.auto_comments,
            user_comments=message.comments,
            context=message.msgctxt,
        )
    buffer = io.BytesIO()
    babel_write_po(buffer, catalog, width=width, sort_output=False, omit_header=False)
    text = buffer.getvalue().decode("utf-8")
    if locale is None:  # Babel writes `Language` only for locales it knows; tools need it
        text = text.replace('"MIME-Version: 1.0\\n"', f'"Language: {language}\\n"\n"MIME-Version: 1.0\\n"', 1)
    return text.encode("utf-8")


def _location(reference: str) -> tuple[str, int | None]:
    path, _, line = reference.rpartition(":")
    return (path, int(line)) if path and line.isdigit() else (reference, None)
