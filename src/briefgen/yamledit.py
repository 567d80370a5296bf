"""In-place YAML edits: a hand-written file + one change -> the same bytes with only that change.

Commands that write into users' files (`translate import`, and spreadsheet import) use this
module, so that what they do not change stays byte for byte as it was: comments, blank
lines, key order, quoting, the line breaks of untouched values, the file's line endings and
byte-order mark.

It works on briefgen's own positioned nodes (yamlsource): every node knows the character
offsets it was read from, so an edit replaces or inserts text at exact places and leaves
the rest of the text alone. (ruamel.yaml's round trip re-emits the whole file from its
tree, which re-indents sequences, re-wraps long lines and may change quoting; here nothing
is re-emitted.) After every edit the new text is read again and compared with the data the
edit meant to produce; an edit that would change anything else, or leave unreadable YAML,
raises `YamlEditError` and leaves the document as it was.

Each edit reads the file's new text once (milliseconds for a content file; for thousands of
edits to one large file, the cost adds up). A text inside one-line `[...]`/`{...}` lists
is turned into a one-line `{en: ..., fr: ...}` mapping where it stands (one over several
lines is refused); `|+` texts are not localized.

Paths address nodes from the root: a text part is a mapping key, an int an index in a
list, and a text part in a list picks the entry whose `id` is that text, so
`("cases", "emin-huseynov-case", "summary")` is the summary of that case.

    doc = YamlDocument.read(path, "content/cases.yaml")
    doc.set_scalar(("cases", "x", "status"), "released")        # replace one value
    doc.set_translation(("cases", "x", "summary"), "fr", "...", source_language="en")
    doc.localize(("cases", "x", "title"), "en", {"fr": "..."})  # plain text -> {en:, fr:}
    doc.add_key(("cases", "x"), "status_date", "2016-03-17")    # a new field (any data)
    doc.append_item(("cases", "x", "timeline"), {"date": "2016-03-17", "type": "release", ...})
    doc.append_to_collection("cases", {"id": "new-case", ...})  # also into an empty file
    write_documents([(path, doc), ...])                          # atomic, changed files only
"""

from __future__ import annotations

import copy
import os
import re
import tempfile
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from .yamlsource import NULL_WORDS, Node, YamlFile, read_yaml

PathPart = str | int
YamlPath = tuple[PathPart, ...]

STEP = 2  # indentation of a new nested mapping, as in briefgen's examples and `init`
WIDTH = 88  # where new long texts are folded (`>-`), like the examples' hand-wrapped lines
BOM = "\ufeff"

# Texts other YAML tools would read as something other than text (YAML 1.1 and 1.2 booleans,
# nulls, numbers): written in quotes, though briefgen itself keeps them text. Dates are left
# plain, as authors write them.
# What a YAML reader (1.1 or 1.2) takes for other than text when written plain: booleans,
# null, numbers (hex, octal and binary too) and timestamps.
_AMBIGUOUS = re.compile(
    r"^(?:y|n|yes|no|true|false|on|off|null|~|[-+]?(?:\.?\d[\d_.,:eE+-]*|\.inf|\.nan)"
    r"|[-+]?0(?:x[\da-f_]+|o[0-7_]+|b[01_]+)|\d{4}-\d\d?-\d\d?(?:[t ].*)?)$",
    re.IGNORECASE,
)
_DATE = re.compile(r"^\d{4}-\d\d(-\d\d)?$")  # a date as authors write it: plain
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")
_FLOW_UNSAFE = set(",[]{}")


class YamlEditError(Exception):
    """An edit that cannot be made as asked; `line` and `column` are where, 1-based."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


class YamlDocument:
    """One YAML file's text, edited in place. `label` names the file in errors."""

    def __init__(self, text: str, label: str = "<yaml>", bom: bool = False):
        self.label = label
        self.bom = bom
        self.original = text
        self.text = text
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.file = self._parse(text)

    # ------------------------------------------------------------ reading and writing

    @classmethod
    def from_bytes(cls, raw: bytes, label: str = "<yaml>") -> YamlDocument:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise YamlEditError(f"{label}: the file is not UTF-8 text") from exc
        return cls(text.removeprefix(BOM), label, bom=text.startswith(BOM))

    @classmethod
    def read(cls, path: Path, label: str | None = None) -> YamlDocument:
        """The document in `path`; a missing file is an empty document (to add to)."""
        path = Path(path)
        if not path.exists():
            return cls("", label or str(path))
        return cls.from_bytes(path.read_bytes(), label or str(path))

    def to_bytes(self) -> bytes:
        return ((BOM if self.bom else "") + self.text).encode("utf-8")

    @property
    def changed(self) -> bool:
        return self.text != self.original

    @property
    def root(self) -> Node | None:
        return self.file.root

    def data(self) -> Any:
        """The document as plain data (text, None, lists, dicts)."""
        return self.root.data() if self.root is not None else None

    def _parse(self, text: str) -> YamlFile:
        parsed = read_yaml(self.label, text.encode("utf-8"))
        if parsed.problems:
            problem = parsed.problems[0]
            raise YamlEditError(f"{self.label}: {problem.message}", problem.line, problem.column)
        return parsed

    # ------------------------------------------------------------ finding nodes

    def node(self, path: YamlPath) -> Node | None:
        """The node at `path`, or None."""
        found = self._walk(path)
        return found[-1][1] if found else None

    def _walk(self, path: YamlPath) -> list[tuple[Node | None, Node]] | None:
        """[(key node or None, node)] from the root down to `path`, or None if absent."""
        node = self.root
        if node is None:
            return None
        trail: list[tuple[Node | None, Node]] = [(None, node)]
        for part in path:
            key, node = _child(node, part)
            if node is None:
                return None
            trail.append((key, node))
        return trail

    def _require(self, path: YamlPath, what: str) -> list[tuple[Node | None, Node]]:
        trail = self._walk(path)
        if trail is None:
            raise YamlEditError(f"{self.label}: there is no {what} at {_show(path)}")
        return trail

    def position(self, offset: int) -> tuple[int, int]:
        return self.file.position(offset)

    # ------------------------------------------------------------ edits

    def set_scalar(self, path: YamlPath, value: str, plain: bool = False) -> bool:
        """Replace the text of the scalar at `path`, keeping its quoting style where the new
        text allows it. `plain`: write the text unquoted, for a number, a year or a truth
        value the model reads as one (`years: 5`, not `years: "5"`). Returns whether
        anything changed."""
        trail = self._require(path, "value")
        key, node = trail[-1]
        if node.kind != "scalar":
            raise YamlEditError(f"{self.label}: {_show(path)} is not a single value", node.line, node.column)
        if node.value == value:
            return False
        indent = self._indent_for(key, node)
        flow = self._in_flow(node)
        if plain and re.fullmatch(r"[0-9A-Za-z.+-]+", value):
            rendered = value
        else:
            rendered = render_scalar(value, indent, flow=flow, prefer=self._style(node), newline=self.newline)
        end = self._content_end(node)
        if rendered.startswith(("|", ">")):
            # A comment after the old value would become part of a block's text: it moves
            # to the block's first line (`key: |-   # comment`).
            line_end = _line_end(self.text, end)
            rest = self.text[end:line_end]
            if rest.strip():
                header, _, body = rendered.partition(self.newline)
                rendered, end = header + rest + self.newline + body, line_end
        self._splice(node.start, end, rendered, _expect_set(self.data(), path, value))
        return True

    def localize(self, path: YamlPath, source_language: str, translations: dict[str, str]) -> None:
        """Turn the plain text at `path` into a localized mapping: the text as it was written
        (under `source_language`), then each of `translations`, one key per line."""
        trail = self._require(path, "value")
        key, node = trail[-1]
        if node.kind != "scalar" or node.value is None:
            raise YamlEditError(f"{self.label}: {_show(path)} is not a text", node.line, node.column)
        nl = self.newline
        written = self.text[node.start : self._content_end(node)]
        if self._in_flow(node):
            if nl in written:  # a text over lines inside [...] or {...}: rare, and risky to redo
                raise YamlEditError(
                    f"{self.label}: {_show(path)} is a text over several lines inside a [...] or {{...}} "
                    "list; write it as a block first",
                    node.line,
                    node.column,
                )
            # `{years: 5, court: Baku Court}` -> `{..., court: {en: Baku Court, de: ...}}`: the
            # text stays as written, the translations follow it in the same braces.
            entries = [f"{_plain_key(source_language)}: {written}"]
            entries += [
                f"{_plain_key(lang)}: {render_scalar(text, 0, flow=True)}"
                for lang, text in translations.items()
            ]
            old = self.data()
            value = {source_language: node.value, **translations}
            text = (
                self.text[: node.start]
                + "{"
                + ", ".join(entries)
                + "}"
                + self.text[self._content_end(node) :]
            )
            self._replace_text(text, _expect_set(old, path, value))
            return
        if key is not None:  # `field: text` -> `field:` + an indented mapping
            indent = self._column(key) + STEP
            gap = self.text[key.end : node.start]
            head = gap[: gap.index(nl)].rstrip() if "#" in gap and nl in gap else ":"
            start, prefix = key.end, head + nl + " " * indent
        else:  # `- text` -> `- en: text` (the mapping starts where the text did)
            indent = self._column(node)
            start, prefix = node.start, ""
        first = prefix + f"{_plain_key(source_language)}: " + _reindent(written, STEP)
        end = self._content_end(node)
        old = self.data()
        value = {source_language: node.value, **translations}
        # Step 1: the mapping with the source text; step 2: the other languages after the
        # end of that line, so a comment at the end of the line stays with the source text.
        text = self.text[:start] + first + self.text[end:]
        cut = start + len(first)
        line_end = _line_end(text, cut)
        style = self._style(node)
        added = "".join(
            nl + " " * indent + f"{_plain_key(lang)}: "
            + render_scalar(string, indent, prefer=style, newline=nl)
            for lang, string in translations.items()
        )  # fmt: skip
        text = text[:line_end] + added + text[line_end:]
        self._replace_text(text, _expect_set(old, path, value))

    def set_translation(self, path: YamlPath, language: str, value: str, source_language: str) -> bool:
        """Make `value` the `language` text of the localized field at `path`: replaced if the
        field has that language, added if it has others, and a plain text becomes a mapping
        (the written text under `source_language`). Returns whether anything changed."""
        trail = self._require(path, "value")
        _, node = trail[-1]
        if node.kind == "scalar":
            self.localize(path, source_language, {language: value})
            return True
        if node.kind != "map":
            raise YamlEditError(f"{self.label}: {_show(path)} is a list, not a text", node.line, node.column)
        if node.get(language) is not None:
            return self.set_scalar((*path, language), value)
        sibling = node.get(source_language) or (node.pairs[-1][1] if node.pairs else None)
        self.add_key(path, language, value, prefer=self._style(sibling) if sibling else None)
        return True

    def add_key(self, path: YamlPath, key: str, value: Any, prefer: str | None = None) -> None:
        """Add `key: value` as the last entry of the mapping at `path` (`()`: the file's top
        level, also in an empty file). `value` is text, None, a list or a dict."""
        trail = self._walk(path)
        node = trail[-1][1] if trail else None
        nl = self.newline
        if node is None and path == () and self.root is None:
            body = f"{_plain_key(key)}:" + render_value(value, 0, newline=nl, prefer=prefer)
            text = self.text + ("" if not self.text or self.text.endswith(nl) else nl) + body + nl
            self._replace_text(text, {key: _as_read(value)})
            return
        if node is None or node.kind != "map":
            raise YamlEditError(f"{self.label}: there is no mapping at {_show(path)}")
        if node.key(key) is not None:
            raise YamlEditError(f"{self.label}: {_show(path)} already has '{key}'", node.line, node.column)
        expected = _expect_set(self.data(), (*path, key), _as_read(value))
        if self._is_flow(node):
            close = self.text.rindex("}", node.start, node.end)
            sep = ", " if node.pairs else ""
            rendered = f"{sep}{_plain_key(key)}: " + render_scalar(_flow_text(value), 0, flow=True)
            self._splice(close, close, rendered, expected)
            return
        indent = self._column(node.pairs[0][0]) if node.pairs else self._column(node)
        at = _line_end(self.text, self._content_end(node))
        body = (
            nl + " " * indent + f"{_plain_key(key)}:" + render_value(value, indent, newline=nl, prefer=prefer)
        )
        self._splice(at, at, body, expected)

    def append_item(self, path: YamlPath, value: Any) -> None:
        """Add `value` as the last entry of the list at `path` (an empty `field:` becomes a
        list). A blank line goes before it when the list's entries are separated by one."""
        trail = self._require(path, "list")
        key, node = trail[-1]
        nl = self.newline
        old = self.data()
        if node.kind == "scalar" and node.value is None and key is not None:
            indent = self._column(key) + STEP
            start = key.end + self.text.index(":", key.end) - key.end + 1
            end = _line_end(self.text, start)
            if "#" in self.text[start:end]:
                start = end  # keep a comment after `field:` where it is
            rendered = nl + _render_item(value, indent, nl)
            self._splice(start, end, rendered, _expect_set(old, path, [_as_read(value)]))
            return
        if node.kind != "seq":
            raise YamlEditError(f"{self.label}: {_show(path)} is not a list", node.line, node.column)
        expected = _expect_set(old, path, [*(_get(old, path)), _as_read(value)])
        if self._is_flow(node):
            close = self.text.rindex("]", node.start, node.end)
            sep = ", " if node.items else ""
            self._splice(close, close, sep + render_scalar(_flow_text(value), 0, flow=True), expected)
            return
        first = node.items[0]
        dash = self.text.rindex("-", 0, first.start)
        indent = self._column_of(dash)
        at = _line_end(self.text, self._content_end(node))
        blank = ""
        if len(node.items) > 1:
            between = self.text[self._content_end(node.items[-2]) : node.items[-1].start]
            # A blank line, not a comment line, separates the entries.
            blank = nl if re.search(r"\n[ \t]*\r?\n", between) else ""
        self._splice(at, at, nl + blank + _render_item(value, indent, nl), expected)

    def set_list(self, path: YamlPath, values: list[Any]) -> bool:
        """Replace the list at `path` by `values` (texts), in the style it was written in:
        a one-line `[a, b]` stays one line where the entries allow it, a block of `- a`
        lines stays a block. Returns whether anything changed."""
        trail = self._require(path, "list")
        key, node = trail[-1]
        if node.kind != "seq" or key is None:
            raise YamlEditError(
                f"{self.label}: {_show(path)} is not a list of a field", node.line, node.column
            )
        old = self.data()
        before, after = _get(old, path), [_as_read(v) for v in values]
        if before == after:
            return False
        if isinstance(before, list) and before and after[: len(before)] == before and not self._is_flow(node):
            # Entries added at the end of a block list: the entries there, with their comments
            # and quoting, stay as they are written.
            for value in values[len(before) :]:
                self.append_item(path, value)
            return True
        expected = _expect_set(old, path, after)
        nl = self.newline
        texts = [_scalar_text(v) for v in values]
        if not values:
            self._splice(node.start, self._content_end(node), "[]", expected)
        elif self._is_flow(node) and all(_plain_ok(t, flow=True) for t in texts):
            self._splice(node.start, node.end, "[" + ", ".join(texts) + "]", expected)
        elif self._is_flow(node):
            indent = self._column(key) + STEP
            body = "".join(nl + _render_item(t, indent, nl) for t in texts)
            self._splice(self.text.index(":", key.end) + 1, node.end, body, expected)
        else:
            dash = self.text.rindex("-", 0, node.items[0].start)
            indent = self._column_of(dash)
            line_start = self.text.rfind("\n", 0, dash) + 1
            body = nl.join(_render_item(t, indent, nl) for t in texts)
            self._splice(line_start, self._content_end(node), body, expected)
        return True

    def remove_key(self, path: YamlPath) -> bool:
        """Remove the entry at `path` (`key: value`, with its lines) from a block mapping;
        a mapping left empty goes too. Comments on the removed lines go with them.
        Returns whether anything changed."""
        trail = self._walk(path)
        if trail is None:
            return False
        key, node = trail[-1]
        parent = trail[-2][1]
        if key is None or parent.kind != "map" or self._is_flow(parent):
            raise YamlEditError(f"{self.label}: {_show(path)} cannot be removed here; remove it by hand")
        if len(parent.pairs) == 1 and len(path) > 1 and isinstance(path[-2], str):
            return self.remove_key(path[:-1])
        old = self.data()
        expected = copy.deepcopy(old)
        container = _get(expected, path[:-1])
        del container[path[-1]]
        start = self.text.rfind("\n", 0, key.start) + 1
        if self.text[start : key.start].strip():  # `- key: value`: the entry's first key
            raise YamlEditError(f"{self.label}: {_show(path)} starts its list entry; remove it by hand")
        end = _line_end(self.text, self._content_end(node))
        end = end + len(self.newline) if self.text.startswith(self.newline, end) else end
        self._splice(start, end, "", expected)
        return True

    def append_to_collection(self, collection: str, item: dict[str, Any]) -> None:
        """Add `item` at the end of `collection` in this content file, creating the
        collection (or the file's content) if it has none yet."""
        root = self.root
        if root is None or (root.kind == "map" and root.get(collection) is None):
            self.add_key((), collection, [item])
            return
        self.append_item((collection,), item)

    # ------------------------------------------------------------ helpers

    def _splice(self, start: int, end: int, new: str, expected: Any) -> None:
        self._replace_text(self.text[:start] + new + self.text[end:], expected)

    def _replace_text(self, text: str, expected: Any) -> None:
        """Adopt `text` if it reads back as `expected`; otherwise leave the document alone."""
        try:
            parsed = self._parse(text)
        except YamlEditError as exc:
            raise YamlEditError(
                f"{self.label}: the edit would leave unreadable YAML ({exc.message})"
            ) from exc
        got = parsed.root.data() if parsed.root is not None else None
        if got != expected:
            raise YamlEditError(
                f"{self.label}: the edit would change more than it should; nothing was changed"
            )
        self.text, self.file = text, parsed

    def _column(self, node: Node) -> int:
        return self._column_of(node.start)

    def _column_of(self, offset: int) -> int:
        return offset - (self.text.rfind("\n", 0, offset) + 1)

    def _indent_for(self, key: Node | None, node: Node) -> int:
        """The indentation a block scalar's lines are measured from."""
        if key is not None:
            return self._column(key)
        return self._column(node) - STEP  # `- |` : content at the entry's own column

    def _content_end(self, node: Node) -> int:
        """Where the node's own text ends: without the blank lines and comments that a block
        scalar or mapping's end mark takes in."""
        if node.kind == "map" and node.pairs and not self._is_flow(node):
            return self._content_end(node.pairs[-1][1])
        if node.kind == "seq" and node.items and not self._is_flow(node):
            return self._content_end(node.items[-1])
        end = node.end
        if node.kind == "scalar" and self.text[node.start : node.start + 1] in ("|", ">"):
            while end > node.start and self.text[end - 1] in " \t\r\n":
                end -= 1
        return end

    def _is_flow(self, node: Node) -> bool:
        return self.text[node.start : node.start + 1] in ("{", "[")

    def _in_flow(self, node: Node) -> bool:
        trail = self._find_trail(node)
        return any(self._is_flow(n) for _, n in trail[:-1])

    def _find_trail(self, target: Node) -> list[tuple[Node | None, Node]]:
        def search(node: Node, trail: list) -> list | None:
            trail = [*trail, node]
            if node is target:
                return trail
            children = [v for _, v in node.pairs] if node.kind == "map" else node.items
            for child in children:
                if child.start <= target.start <= child.end:
                    found = search(child, trail)
                    if found:
                        return found
            return None

        found = search(self.root, []) if self.root is not None else None
        return [(None, n) for n in (found or [target])]

    def _style(self, node: Node | None) -> str | None:
        if node is None or node.kind != "scalar":
            return None
        first = self.text[node.start : node.start + 1]
        return {"|": "literal", ">": "folded", '"': "double", "'": "single"}.get(first, "plain")


# ---------------------------------------------------------------- rendering values


def render_scalar(
    text: str, indent: int, flow: bool = False, prefer: str | None = None, newline: str = "\n"
) -> str:
    """`text` as a YAML scalar that goes after `key: ` (or `- `) on a line indented by
    `indent` spaces: in the style `prefer`red where the text allows it, else the plainest
    style that keeps it exactly (plain, quoted, or a `|-` / `>-` block)."""
    if flow:
        return text if _plain_ok(text, flow=True) else _double(text)
    if "\n" in text:
        if prefer in ("double", "single") or not _literal_ok(text):
            return _double(text)
        return _literal(text, indent, newline)
    if prefer == "single" and _single_ok(text):
        return "'" + text.replace("'", "''") + "'"
    if prefer == "double":
        return _double(text)
    long = indent + len(text) + 8 > WIDTH
    if (prefer == "folded" or (long and prefer in (None, "plain", "literal"))) and _folded_ok(text):
        return _folded(text, indent, newline)
    if _plain_ok(text):
        return text
    return _double(text)


def render_value(value: Any, indent: int, newline: str = "\n", prefer: str | None = None) -> str:
    """What follows `key:` for any plain data: ` scalar`, or a nested block on new lines."""
    if isinstance(value, dict):
        if not value:
            return " {}"
        return "".join(
            newline + " " * (indent + STEP) + f"{_plain_key(k)}:" + render_value(v, indent + STEP, newline)
            for k, v in value.items()
        )
    if isinstance(value, list):
        if not value:
            return " []"
        if all(isinstance(v, str) and _plain_ok(v, flow=True) for v in value):
            return " [" + ", ".join(value) + "]"
        return "".join(newline + _render_item(v, indent + STEP, newline) for v in value)
    if value is None:
        return ""
    if isinstance(value, int | float | date):  # typed data (a year, a date): written plain
        return " " + _scalar_text(value)
    return " " + render_scalar(_scalar_text(value), indent, prefer=prefer, newline=newline)


def _render_item(value: Any, indent: int, newline: str) -> str:
    """One list entry, `- ...` at `indent`; a mapping's first key on the dash's line."""
    pad = " " * indent
    if isinstance(value, dict) and value:
        inner = render_value(value, indent, newline)  # keys at indent + STEP
        first_break = len(newline) + indent + STEP
        return pad + "- " + inner[first_break:]
    if isinstance(value, list):
        return pad + "-" + render_value(value, indent, newline)
    if value is None:
        return pad + "-"
    return pad + "- " + render_scalar(_scalar_text(value), indent + STEP, newline=newline)


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _flow_text(value: Any) -> str:
    if isinstance(value, dict | list) or value is None:
        raise YamlEditError("only a single value can be added to a [...] or {...} list")
    return _scalar_text(value)


def _plain_key(key: str) -> str:
    return key if _plain_ok(key, flow=True) else _double(key)


def _plain_ok(text: str, flow: bool = False) -> bool:
    if not text or text != text.strip() or "\n" in text or "\r" in text or "\t" in text:
        return False
    if text in NULL_WORDS or (_AMBIGUOUS.match(text) and not _DATE.match(text)) or text[0] in _INDICATORS:
        return False
    if ": " in text or " #" in text or text.endswith(":"):
        return False
    if flow and (_FLOW_UNSAFE & set(text) or ":" in text):  # PyYAML refuses ':' in flow text
        return False
    if not _printable(text):
        return False
    # The final word is the parser's: the text must read back as itself, unquoted.
    snippet = f"k: [{text}]" if flow else f"k: {text}"
    parsed = read_yaml("<check>", snippet.encode("utf-8"))
    if parsed.problems or parsed.root is None:
        return False
    node = parsed.root.get("k")
    if node is not None and flow:
        node = node.items[0] if node.kind == "seq" and len(node.items) == 1 else None
    return node is not None and node.kind == "scalar" and not node.quoted and node.value == text


def _printable(text: str) -> bool:
    return all(c == "\t" or c >= " " for c in text) and not any("\x7f" <= c <= "\x9f" for c in text)


def _single_ok(text: str) -> bool:
    return "\n" not in text and _printable(text)


def _double(text: str) -> str:
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char == '"':
            out.append('\\"')
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif char < " " or "\x7f" <= char <= "\x9f" or char in "\ufeff\u2028\u2029":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _literal_ok(text: str) -> bool:
    body = text.rstrip("\n")
    return bool(body.strip()) and "\r" not in text and _printable(text.replace("\n", " "))


def _literal(text: str, indent: int, newline: str) -> str:
    body = text.rstrip("\n")
    trailing = len(text) - len(body)
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    lines = body.split("\n")
    pad = " " * (indent + STEP)
    indicator = str(STEP) if lines[0].startswith(" ") or (lines[0] == "" and len(lines) > 1) else ""
    out = "|" + indicator + chomp
    for line in lines:
        out += newline + (pad + line if line else "")
    return out + newline * (trailing - 1 if trailing > 1 else 0)


def _folded_ok(text: str) -> bool:
    return (
        bool(text)
        and text == text.strip()
        and "\n" not in text
        and "\r" not in text
        and "\t" not in text
        and _printable(text)
    )


def _folded(text: str, indent: int, newline: str) -> str:
    """A `>-` block: lines break at single spaces, which folding turns back into spaces."""
    pad = " " * (indent + STEP)
    room = max(20, WIDTH - len(pad))
    words = re.split(r"(?<=\S) (?=\S)", text)  # break only at a single space between words
    lines: list[str] = []
    line = ""
    for word in words:
        if line and len(line) + 1 + len(word) > room:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return ">-" + "".join(newline + pad + ln for ln in lines)


def _reindent(written: str, extra: int) -> str:
    """A value's written text with every line after the first indented `extra` more."""
    lines = written.split("\n")
    return "\n".join([lines[0], *((" " * extra + ln) if ln.strip() else ln for ln in lines[1:])])


def _line_end(text: str, offset: int) -> int:
    """The end of the line `offset` is on (before its line break)."""
    end = text.find("\n", offset)
    if end == -1:
        return len(text)
    return end - 1 if end > 0 and text[end - 1] == "\r" else end


# ---------------------------------------------------------------- paths and expected data


def _child(node: Node, part: PathPart) -> tuple[Node | None, Node | None]:
    if node.kind == "map" and isinstance(part, str):
        for key, value in node.pairs:
            if key.value == part:
                return key, value
        return None, None
    if node.kind == "seq":
        if isinstance(part, int):
            return (None, node.items[part]) if 0 <= part < len(node.items) else (None, None)
        for item in node.items:
            if item.kind == "map" and item.text("id") == part:
                return None, item
    return None, None


def _get(data: Any, path: YamlPath) -> Any:
    for part in path:
        data = data[_data_index(data, part)]
    return data


def _data_index(data: Any, part: PathPart) -> Any:
    if isinstance(data, list) and isinstance(part, str):
        for index, item in enumerate(data):
            if isinstance(item, dict) and item.get("id") == part:
                return index
        raise KeyError(part)
    return part


def _expect_set(data: Any, path: YamlPath, value: Any) -> Any:
    """A copy of `data` with `value` at `path` (the data an edit must produce)."""
    result = copy.deepcopy(data)
    if not path:
        return value
    parent = _get(result, path[:-1])
    parent[_data_index(parent, path[-1])] = value
    return result


def _as_read(value: Any) -> Any:
    """`value` as it reads back from the file: every scalar as its text (yamlsource)."""
    if isinstance(value, dict):
        return {str(k): _as_read(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_read(v) for v in value]
    return None if value is None else _scalar_text(value)


def _show(path: YamlPath) -> str:
    return "/".join(str(p) for p in path) or "the top level"


# ---------------------------------------------------------------- writing files


class WriteError(Exception):
    """A project file could not be written (a read-only folder, a full disk): `path` and the
    system's reason. Nothing of the import was written."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason

    def diagnostic(self, root: Path):
        """The error at the file, its path relative to the project `root`."""
        from .diagnostics import error

        where = self.path.relative_to(root).as_posix() if self.path.is_relative_to(root) else str(self.path)
        return error(
            where,
            0,
            0,
            f"cannot write the file: {self.reason}; nothing was written",
            "make the folder writable (or free some room on the disk) and run the import again",
        )


def write_documents(documents: Iterable[tuple[Path, YamlDocument]]) -> list[Path]:
    """Write every changed document; returns the paths written. Nothing is written for a
    document that did not change.

    All or nothing, as far as a file system allows: every new text is first written to a
    temporary file beside its file, and only when all of them are written are they moved
    into place (a rename, which does not fail for want of room). A file that cannot be
    written raises WriteError, and no file has changed."""
    pending: list[tuple[Path, str, YamlDocument]] = []
    try:
        for path, doc in documents:
            if not doc.changed:
                continue
            path = Path(path)
            try:
                mode = path.stat().st_mode & 0o777 if path.exists() else None
                path.parent.mkdir(parents=True, exist_ok=True)
                fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            except OSError as exc:
                raise WriteError(path, exc.strerror or str(exc)) from None
            pending.append((path, temp, doc))
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(doc.to_bytes())
                if mode is not None:
                    os.chmod(temp, mode)
            except OSError as exc:
                raise WriteError(path, exc.strerror or str(exc)) from None
    except BaseException:
        for _path, temp, _doc in pending:
            Path(temp).unlink(missing_ok=True)
        raise
    written = []
    for path, temp, doc in pending:
        os.replace(temp, path)
        doc.original = doc.text
        written.append(path)
    return written
