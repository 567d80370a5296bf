"""YAML source -> positioned nodes: the safe, literal reading of one hand-written file.

A file's bytes become a tree of `Node`s (mappings, sequences, scalars), each with its line,
column and character offsets. Nothing is interpreted by YAML 1.1's implicit typing: every
scalar keeps exactly the text written (`NO`, `off`, `012345`, `1.10`, `2016-01-19` are
text), except that a plain empty value, `~` or `null` is None. Pydantic turns the text into
ints, booleans and dates where the model asks for them.

Rejected, each as a `YamlProblem` with a position and a message an author can act on:
files over MAX_BYTES, bytes that are not UTF-8, control characters, YAML syntax errors,
more than one document, anchors and aliases (so also `<<` merge keys), explicit tags
(`!!python/...`, `!!str`), duplicate keys, keys that are not text, nesting deeper than
MAX_DEPTH. Problems that leave the tree readable (tags, duplicate keys, aliases) are all
collected, so an author sees every one at once; a syntax error stops the file.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import yaml
else:
    yaml = None  # PyYAML: imported by the first file read (_parser)

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40
NULL_WORDS = ("", "~", "null", "Null", "NULL")


def _parser():
    """PyYAML's parser, in C when it has one. PyYAML is imported by the first file read: a
    build whose project and theme come from the cache reads none (cache.py, theme.py). The
    module's `yaml` is set from then on, for the functions that read events and tokens."""
    global yaml
    if yaml is None:
        import yaml as pyyaml

        yaml = pyyaml
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# YAML's printable set (YAML 1.1 §5.1): tab, line breaks and everything from space up,
# without C0/C1 controls, surrogates and U+FFFE/U+FFFF.
_NOT_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"


@dataclass(frozen=True)
class YamlProblem:
    line: int  # 1-based
    column: int  # 1-based
    message: str
    hint: str | None = None


@dataclass(eq=False)
class Node:
    """One YAML node as written. `value` is the text of a scalar (None for null)."""

    kind: str  # "scalar" | "seq" | "map"
    line: int  # 1-based
    column: int  # 1-based
    start: int  # character offset of the node in the file's text
    end: int
    value: str | None = None
    raw: str = ""  # a scalar's text exactly as written (also for null)
    items: list[Node] = field(default_factory=list)  # seq
    pairs: list[tuple[Node, Node]] = field(default_factory=list)  # map: (key, value)
    quoted: bool = False  # a scalar written in quotes or as a block (| >)
    broken: bool = False  # stands for something rejected (an alias): no further errors here
    merged: bool = False  # a mapping whose '<<' merge key was rejected: it may lack fields

    def key(self, name: str) -> Node | None:
        """The key node of `name` in a mapping."""
        for key, _ in self.pairs:
            if key.value == name:
                return key
        return None

    def get(self, name: str) -> Node | None:
        """The value node of `name` in a mapping (None if absent or not a mapping)."""
        for key, value in self.pairs:
            if key.value == name:
                return value
        return None

    def at(self, *path: str | int) -> Node | None:
        """The node down a path of keys and list indexes (None where the path leaves the tree)."""
        node: Node | None = self
        for part in path:
            if node is None:
                return None
            if isinstance(part, int):
                node = node.items[part] if node.kind == "seq" and part < len(node.items) else None
            else:
                node = node.get(part) if node.kind == "map" else None
        return node

    def text(self, name: str) -> str | None:
        """The text of scalar `name` in a mapping, or None."""
        node = self.get(name)
        return node.value if node is not None and node.kind == "scalar" else None

    def data(self) -> Any:
        """Plain Python data: dicts with text keys, lists, text and None."""
        if self.kind == "map":
            return {key.value: value.data() for key, value in self.pairs}
        if self.kind == "seq":
            return [item.data() for item in self.items]
        return self.value


@dataclass
class YamlFile:
    """A file's text, its root node (None when empty or unreadable) and its problems."""

    path: str
    text: str = ""
    root: Node | None = None
    problems: list[YamlProblem] = field(default_factory=list)
    readable: bool = True  # False when a problem stopped the reading (the tree is lost)
    _line_starts: list[int] = field(default_factory=list, repr=False)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset in the text."""
        if not self._line_starts:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_right(self._line_starts, offset)
        return line, offset - self._line_starts[line - 1] + 1


def size_problem(size: int) -> YamlProblem | None:
    """The problem with a file of `size` bytes, if it is over the cap."""
    if size <= MAX_BYTES:
        return None
    return YamlProblem(
        1,
        1,
        f"the file is too large ({size / 1024 / 1024:.1f} MiB; the limit is {MAX_BYTES // 1024 // 1024} MiB)",
        "split the content over several smaller files",
    )


def read_yaml(path: str, raw: bytes) -> YamlFile:
    """Decode and parse one file's bytes; problems are collected in the result."""
    result = YamlFile(path)
    too_large = size_problem(len(raw))
    if too_large:
        result.readable = False
        result.problems.append(too_large)
        return result
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        column = len(raw[line_start : exc.start].decode("utf-8", "replace")) + 1
        result.readable = False
        result.problems.append(
            YamlProblem(
                line,
                column,
                f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02X} cannot be read)",
                "save the file with UTF-8 encoding (in most editors: Save As / Encoding: UTF-8)",
            )
        )
        return result
    result.text = text.removeprefix("\ufeff")
    # Compiled on first use (re keeps it): some 6 ms, which a build from the cache never needs.
    bad = re.search(_NOT_PRINTABLE, result.text)
    if bad:
        line, column = result.position(bad.start())
        result.readable = False
        result.problems.append(
            YamlProblem(
                line,
                column,
                f"the file contains the control character U+{ord(bad.group()):04X}, "
                "which YAML does not allow",
                "delete it (it is often invisible: retype the text around this position)",
            )
        )
        return result
    _Builder(result).run()
    return result


def values_read_as_comments(yaml_file: YamlFile) -> list[YamlProblem]:
    """Values that YAML read as nothing because they begin with '#': `bio: #1 court
    reporter` or `- #FreeAlena campaign` is a key or list item with a comment after it. A
    comment after a space (`photo:  # a file under assets/`) is taken as meant."""
    found: list[YamlProblem] = []
    stack = [yaml_file.root] if yaml_file.root is not None else []
    while stack:
        node = stack.pop()
        for key, value in node.pairs:
            stack.append(value)
            if _read_as_comment(yaml_file.text, value):
                found.append(_comment_problem(yaml_file.text, value, f"the value of '{key.value}'"))
        for item in node.items:
            stack.append(item)
            if _read_as_comment(yaml_file.text, item):
                found.append(_comment_problem(yaml_file.text, item, "this list item"))
    return sorted(found, key=lambda p: (p.line, p.column))


def _read_as_comment(text: str, node: Node) -> bool:
    if node.kind != "scalar" or node.value is not None or node.quoted or node.raw:
        return False
    rest = _rest_of_line(text, node.start).lstrip(" ")
    return rest.startswith("#") and rest[1:2] not in ("", " ", "\t", "#")


def _rest_of_line(text: str, start: int) -> str:
    end = text.find("\n", start)
    return text[start : end if end >= 0 else len(text)].rstrip("\r")


def _comment_problem(text: str, node: Node, what: str) -> YamlProblem:
    rest = _rest_of_line(text, node.start)
    written = rest.strip()
    column = node.column + len(rest) - len(rest.lstrip(" "))
    return YamlProblem(
        node.line,
        column,
        f"{what} is empty: '#' starts a comment in YAML, so '{_shorten(written)}' was not read",
        f'put the text in quotes: "{_shorten(_escape_quotes(written))}"',
    )


class _Builder:
    """Builds the node tree from parser events, with the safety checks."""

    def __init__(self, out: YamlFile):
        self.out = out
        self.documents = 0
        # id(mapping) -> keys of an entry that started without its '- ' (see attach)
        self.new_entries: dict[int, set[str]] = {}

    def problem(self, mark: Any, message: str, hint: str | None = None) -> None:
        self.out.problems.append(YamlProblem(mark.line + 1, mark.column + 1, message, hint))

    def run(self) -> None:
        loader = _parser()
        stack: list[Node] = []
        pending_key: list[Node | None] = []  # per open mapping: the key awaiting its value
        try:
            for event in yaml.parse(self.out.text, Loader=loader):
                if isinstance(event, yaml.DocumentStartEvent):
                    self.documents += 1
                    if self.documents > 1:
                        self.problem(
                            event.start_mark,
                            "a content file holds one YAML document, but a second one starts here",
                            "remove the '---' line, or move what follows into another file",
                        )
                        return
                    continue
                if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                    node = stack.pop()
                    pending_key.pop()
                    node.end = event.end_mark.index
                    self.attach(stack, pending_key, node)
                    continue
                if not isinstance(event, yaml.NodeEvent):
                    continue
                node = self.node_for(event, len(stack))
                if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                    if len(stack) >= MAX_DEPTH:
                        self.problem(
                            event.start_mark,
                            f"the content is nested more than {MAX_DEPTH} levels deep",
                            "check the indentation around this line",
                        )
                        self.out.readable = False
                        self.out.root = None
                        return
                    stack.append(node)
                    pending_key.append(None)
                else:
                    self.attach(stack, pending_key, node)
        except yaml.MarkedYAMLError as exc:
            self.out.problems.append(explain_syntax_error(self.out.text, exc))
            self.out.readable = False
            self.out.root = None
        except yaml.YAMLError as exc:  # e.g. ReaderError, without a line
            self.out.problems.append(YamlProblem(1, 1, f"the file cannot be read as YAML: {exc}"))
            self.out.readable = False
            self.out.root = None

    def node_for(self, event: Any, depth: int) -> Node:
        mark = event.start_mark
        if event.anchor is not None and not isinstance(event, yaml.AliasEvent):
            self.problem(
                mark,
                f"YAML anchors ('&{event.anchor}') are not supported",
                "write the value out in full wherever it is needed",
            )
        tag = getattr(event, "tag", None)
        rejected = tag is not None and not isinstance(event, yaml.AliasEvent)
        if rejected:
            self.reject_tag(mark, tag)
        common = {
            "line": mark.line + 1,
            "column": mark.column + 1,
            "start": mark.index,
            "end": mark.index,
            "broken": rejected,  # its type errors would only repeat the tag's
        }
        if isinstance(event, yaml.AliasEvent):
            self.problem(
                mark,
                f"YAML aliases ('*{event.anchor}') are not supported",
                "write the value out in full instead of referring to an anchor",
            )
            return Node("scalar", **common | {"broken": True})
        if isinstance(event, yaml.ScalarEvent):
            plain = not event.style
            value = None if plain and event.value in NULL_WORDS else event.value
            common["end"] = event.end_mark.index
            return Node("scalar", value=value, raw=event.value, quoted=not plain, **common)
        return Node("map" if isinstance(event, yaml.MappingStartEvent) else "seq", **common)

    def reject_tag(self, mark: Any, tag: str) -> None:
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        if shown.startswith("!!python") or "python" in shown:
            self.problem(
                mark,
                f"the language-specific tag '{shown}' is not allowed: content is data, never code",
                "remove the tag",
            )
        else:
            self.problem(
                mark,
                f"YAML tags such as '{shown}' are not allowed",
                'remove the tag; to keep a value as text, put it in quotes, e.g. reference: "012345"',
            )

    def attach(self, stack: list[Node], pending_key: list[Node | None], node: Node) -> None:
        if not stack:
            self.out.root = node
            return
        parent = stack[-1]
        if parent.kind == "seq":
            parent.items.append(node)
            return
        key = pending_key[-1]
        if key is None:  # node is a key
            pending_key[-1] = node
            return
        pending_key[-1] = None
        if key.broken:
            return
        if key.kind == "scalar":
            key.value = key.raw  # a key is a field name: `null:` is the name "null"
        if key.kind != "scalar" or not key.value:
            what = "a list or a mapping" if key.kind != "scalar" else "empty"
            self.out.problems.append(
                YamlProblem(key.line, key.column, f"a key must be a field name, but this key is {what}")
            )
            return
        if key.value == "<<" and not key.quoted:
            parent.merged = True
            self.out.problems.append(
                YamlProblem(
                    key.line,
                    key.column,
                    "YAML merge keys ('<<') are not supported",
                    "write the fields out in full in each item",
                )
            )
            return
        started = self.new_entries.get(id(parent))
        if started is not None:
            # Keys after a missing dash belong to the entry that should have started there.
            if key.value not in started:
                started.add(key.value)
                return
            started.clear()
        first = parent.key(key.value)
        if first is None:
            parent.pairs.append((key, node))
            return
        in_list = len(stack) >= 2 and stack[-2].kind == "seq"
        if in_list and parent.pairs and parent.pairs[0][0].value == key.value:
            # The entry's first key again: almost always a new entry written without its
            # '- '. Deleting one of the two (the usual duplicate fix) would lose an entry.
            self.new_entries[id(parent)] = {key.value}
            dash_column = max(parent.column - 2, 1)
            self.out.problems.append(
                YamlProblem(
                    key.line,
                    key.column,
                    f"'{key.value}' starts a new entry here, but the line has no '- ' before it, so "
                    f"it would be merged into the entry that starts at line {first.line}",
                    f"write '- {key.value}: ...' with the dash at column {dash_column}, lined up with "
                    f"line {first.line}; keep both entries",
                )
            )
            return
        self.out.problems.append(
            YamlProblem(
                key.line,
                key.column,
                f"duplicate key '{key.value}' (first written at line {first.line}); "
                "the second value would silently replace the first",
                "keep one of them",
            )
        )


_SYNTAX_HINTS = (
    ("cannot start any token", "indent with spaces, never tabs; quote values that start with @ or `"),
    ("tab character", "indent with spaces, never tabs"),
    ("mapping values are not allowed", "a value that contains ': ' must be put in quotes"),
    ("could not find expected ':'", "each line of a mapping needs 'key: value'; check the indentation"),
    ("did not find expected key", "check the indentation: items of one mapping must line up"),
    ("did not find expected '-' indicator", "check the indentation: list items must line up"),
    ("found unexpected end of stream", "a quote or bracket opened here is never closed"),
)

# Characters that look like a space (or nothing) but are not YAML's space; they come with
# text pasted from word processors and web pages.
_INVISIBLE = {
    "\u00a0": "a non-breaking space (U+00A0)",
    "\u2007": "a figure space (U+2007)",
    "\u202f": "a narrow non-breaking space (U+202F)",
    "\u200b": "a zero-width space (U+200B)",
    "\u200c": "a zero-width non-joiner (U+200C)",
    "\u2060": "a word joiner (U+2060)",
    "\ufeff": "a zero-width no-break space (U+FEFF)",
    "\u3000": "an ideographic space (U+3000)",
    "\t": "a tab",
}
_KEY_LINE = re.compile(r"^(?P<indent>[ ]*)(?:- +)*(?P<key>[^\s#'\"][^:#]*?):(?:\s|$)")


def explain_syntax_error(text: str, exc: yaml.MarkedYAMLError) -> YamlProblem:
    """A syntax error as a problem at its real cause, with a hint that fixes it.

    PyYAML reports where it gave up, which is often lines after the mistake: an unclosed
    quote swallows the lines that follow, an invisible character pasted from Word breaks
    the indentation of the next line. Those causes are looked for first.
    """
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    if mark is None:
        return YamlProblem(1, 1, f"YAML syntax error: {problem}", _syntax_hint(problem))
    lines = text.split("\n")
    for explain in (
        _unclosed_quote,
        _unclosed_bracket,
        _text_after_quotes,
        _invisible_character,
        _over_indented,
    ):
        found = explain(text, lines, exc, mark)
        if found is not None:
            return found
    message = f"YAML syntax error: {problem}"
    if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark.line != mark.line:
        message += f" ({exc.context} that starts at line {exc.context_mark.line + 1})"
    hint = _syntax_hint(problem)
    quote = _typographic_opening(lines[mark.line] if mark.line < len(lines) else "")
    if quote:
        # Text pasted from Word: “Silenced: ...” looks quoted, but YAML quotes are straight.
        hint = (
            f"{quote} is a typographic quote, which YAML reads as ordinary text: put the value "
            'in straight quotes "..." (the typographic ones may stay inside)'
        )
    return YamlProblem(mark.line + 1, mark.column + 1, message, hint)


_TYPOGRAPHIC_QUOTES = "“”„«»‘‚"


def _typographic_opening(line: str) -> str | None:
    """The typographic quote a list item's or a key's value begins with, if any."""
    item = line.lstrip(" ")
    while item.startswith("- "):
        item = item[2:].lstrip(" ")
    for text in (item, line[_value_start(line) :]):
        if text[:1] and text[0] in _TYPOGRAPHIC_QUOTES:
            return text[0]
    return None


def _unclosed_quote(text: str, lines: list[str], exc: Any, mark: Any) -> YamlProblem | None:
    """A quoted value that runs over lines that look like YAML keys or list items."""
    loader = _parser()
    opening = None
    if exc.context and "quoted scalar" in exc.context and exc.context_mark is not None:
        opening = exc.context_mark
    else:
        try:
            for token in yaml.scan(text, Loader=loader):
                if (
                    isinstance(token, yaml.ScalarToken)
                    and token.style in ('"', "'")
                    and token.end_mark.line > token.start_mark.line
                    and token.start_mark.index < mark.index
                    and _swallows_structure(lines, token.start_mark.line, token.end_mark.line)
                ):
                    opening = token.start_mark
        except yaml.YAMLError:
            pass
    if opening is None:
        return None
    quote = text[opening.index] if opening.index < len(text) else '"'
    line_text = lines[opening.line]
    example = line_text.strip()
    if example.startswith("- "):
        example = example[2:]
    return YamlProblem(
        opening.line + 1,
        opening.column + 1,
        f"the quote {quote} opened here is not closed on this line, so the lines after it are read "
        "as part of this text",
        f"end the value with a closing {quote} on line {opening.line + 1}: {_shorten(example)}{quote}",
    )


_CLOSING = {"[": "]", "{": "}"}


def _unclosed_bracket(text: str, lines: list[str], exc: Any, mark: Any) -> YamlProblem | None:
    """A `[` or `{` never closed: PyYAML gives up lines later, where a key meets the list."""
    context = exc.context or ""
    opening = exc.context_mark
    if opening is None or not context.startswith(
        ("while parsing a flow sequence", "while parsing a flow mapping")
    ):
        return None
    bracket = text[opening.index] if opening.index < len(text) else ""
    if bracket not in _CLOSING:
        return None
    end = mark.index if mark.line == opening.line else len(text)
    if mark.line > opening.line:
        # Up to the end of the line where the reader gave up: a bracket closed there was
        # closed, and the mistake is something else inside it.
        newline = text.find("\n", mark.index)
        end = len(text) if newline < 0 else newline
    if mark.line == opening.line or _closes(text, opening.index, end):
        return None
    line_text = lines[opening.line].rstrip()
    closing = _CLOSING[bracket]
    message = f"the {bracket} opened here is never closed, so the lines after it are read as part of it"
    if _goes_on(lines, opening.line, mark.line):
        # Its items go on over the next lines: where it should end is for the author to say.
        hint = f"close the {bracket} opened here with {closing} after its last item"
        return YamlProblem(opening.line + 1, opening.column + 1, message, hint)
    code, comment = _without_comment(line_text.strip())
    if code.startswith("- "):
        code = code[2:]
    closed = f"{code.rstrip()}{''.join(_CLOSING[b] for b in reversed(_open_brackets(code)))}"
    example = f"{closed}  {comment}" if comment else closed
    hint = f"close the {bracket} opened here with {closing} on line {opening.line + 1}: {_shorten(example)}"
    return YamlProblem(opening.line + 1, opening.column + 1, message, hint)


def _goes_on(lines: list[str], opened: int, gave_up: int) -> bool:
    """Whether a line after the one a bracket opens on, before the one the reader gave up on,
    is indented deeper than it: the list's items go on there."""
    indent = len(lines[opened]) - len(lines[opened].lstrip())
    for line in lines[opened + 1 : gave_up]:
        if line.strip() and not line.lstrip().startswith("#") and len(line) - len(line.lstrip()) > indent:
            return True
    return False


def _without_comment(line: str) -> tuple[str, str]:
    """(the line before its comment, the comment): a # after white space, outside quotes."""
    for index, char in _outside_quotes(line):
        if char == "#" and (index == 0 or line[index - 1] in " \t"):
            return line[:index].rstrip(), line[index:]
    return line, ""


def _outside_quotes(line: str):
    """(index, character) of one line's characters outside quotes (a quote opens a string
    after a bracket, a comma, a space or a colon), the quotes themselves left out."""
    quote = None
    for index, char in enumerate(line):
        if quote:
            if char == quote and not (quote == '"' and line[index - 1 : index] == "\\"):
                quote = None
        elif char in "'\"" and line[index - 1 : index] in ("[", "{", ",", " ", ":"):
            quote = char
        else:
            yield index, char


def _closes(text: str, start: int, end: int) -> bool:
    """Whether the bracket at `start` is closed before `end` (quotes and comments skipped)."""
    depth, index, quote = 0, start, None
    while index < end:
        char = text[index]
        if quote == "'":
            if char == "'" and text[index + 1 : index + 2] == "'":
                index += 1
            elif char == "'":
                quote = None
        elif quote == '"':
            if char == "\\":
                index += 1
            elif char == '"':
                quote = None
        elif char in "'\"" and text[index - 1 : index] in ("[", "{", ",", " ", ":"):
            quote = char
        elif char == "#" and text[index - 1 : index] in (" ", "\t"):
            newline = text.find("\n", index)
            index = end if newline < 0 else newline
            continue
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth == 0:
                return True
        index += 1
    return False


def _open_brackets(line: str) -> list[str]:
    """The brackets of one line left open at its end, outermost first (quotes skipped)."""
    stack: list[str] = []
    for _index, char in _outside_quotes(line):
        if char in "[{":
            stack.append(char)
        elif char in "]}" and stack:
            stack.pop()
    return stack


# Where a quoted scalar may start: at the start of a value, a list item or a flow entry.
_QUOTE_START = re.compile(r"(?:^|[:\-\[{,?])\s*$")


def _text_after_quotes(text: str, lines: list[str], exc: Any, mark: Any) -> YamlProblem | None:
    """A quoted value that ends early because it contains its own quote: 'O'Brien', or
    "He said "hi"": PyYAML reads the text after the inner quote as a stray value."""
    if mark.line >= len(lines):
        return None
    line = lines[mark.line]
    rest = line[mark.column :]
    if not rest.strip() or rest.lstrip()[0] in ":,]}#":
        return None  # a ': ' after a quoted key, or the end of a flow entry: not this mistake
    for start, end, quote in _quoted_scalars(line):
        if end < mark.column and not line[end + 1 : mark.column].strip():
            # Without a comment: the first " #" after the stray text (which may hold quotes).
            comment = re.search(r"\s+#", line[mark.column :])
            value = line[start : mark.column + comment.start() if comment else len(line)].rstrip()
            inner = value[1:-1] if len(value) > 1 and value.endswith(quote) else value[1:]
            if quote == "'":
                fixed = f"'{inner.replace(chr(39), chr(39) * 2)}'"
                how = "inside single quotes, write a single quote twice"
                other = f'"{inner}"' if '"' not in inner else None
            else:
                fixed = f'"{_escape_quotes(inner)}"'
                how = 'inside double quotes, write a double quote as \\"'
                # Single quotes keep a backslash as written: no good where escapes were used.
                other = f"'{inner}'" if "'" not in inner and "\\" not in inner else None
            whole = start == _value_start(line) and value.endswith(quote)
            hint = f"{how}: {_shorten(fixed)}" if whole else f"put the whole text in quotes; {how}"
            if whole and other:
                hint += f", or put the text in the other quotes: {_shorten(other)}"
            return YamlProblem(
                mark.line + 1,
                end + 1,
                f"the quote {quote} here ends the quoted text, but more text follows it on this line",
                hint,
            )
    return None


def _quoted_scalars(line: str) -> list[tuple[int, int, str]]:
    """(start, end, quote) of each quoted scalar of one line that is closed on it."""
    found = []
    index = 0
    while index < len(line):
        char = line[index]
        if char == "#" and (index == 0 or line[index - 1] in " \t"):
            break
        if char in "'\"" and _QUOTE_START.search(line[:index]):
            end = _quote_end(line, index)
            if end is None:
                break
            found.append((index, end, char))
            index = end + 1
            continue
        index += 1
    return found


def _quote_end(line: str, start: int) -> int | None:
    quote, index = line[start], start + 1
    while index < len(line):
        char = line[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and line[index + 1 : index + 2] == "'":
                index += 2
                continue
            return index
        index += 1
    return None


def _value_start(line: str) -> int:
    match = _KEY_LINE.match(line)
    start = match.end() if match else len(line) - len(line.lstrip(" "))
    while line[start : start + 2] == "- ":
        start += 2
    return start + len(line[start:]) - len(line[start:].lstrip(" "))


def _escape_quotes(inner: str) -> str:
    return re.sub(r'(?<!\\)"', r'\\"', inner)


def _swallows_structure(lines: list[str], first: int, last: int) -> bool:
    return any(
        _KEY_LINE.match(lines[n]) or lines[n].lstrip().startswith("- ") for n in range(first + 1, last + 1)
    )


def _invisible_character(text: str, lines: list[str], exc: Any, mark: Any) -> YamlProblem | None:
    """The last invisible character in the structure (indentation, around ':') before the error."""
    found = None
    for number in range(0, min(mark.line, len(lines) - 1) + 1):
        line = lines[number]
        for column, char in enumerate(line):
            if char not in _INVISIBLE:
                continue
            before = line[:column]
            in_indent = not before.strip(" \t" + "".join(_INVISIBLE))
            beside_colon = before.endswith(":") or line[column + 1 : column + 2] == ":"
            if in_indent or beside_colon:
                found = (number, column, char, in_indent)
                break
    if found is None:
        return None
    number, column, char, in_indent = found
    name = _INVISIBLE[char]
    if char == "\t":
        return YamlProblem(
            number + 1,
            column + 1,
            "YAML syntax error: found a tab character in the indentation of this line",
            "indent with spaces, never tabs",
        )
    where = "in the indentation of this line" if in_indent else "next to the ':' of this line"
    return YamlProblem(
        number + 1,
        column + 1,
        f"{name} {where}, where YAML needs an ordinary space",
        "delete it and type ordinary spaces; such characters come with text pasted from Word or a web page",
    )


def _over_indented(text: str, lines: list[str], exc: Any, mark: Any) -> YamlProblem | None:
    """'key: value' indented under a line that already has its value."""
    if not exc.problem or "mapping values are not allowed" not in exc.problem:
        return None
    if mark.line >= len(lines):
        return None
    line = lines[mark.line]
    match = _KEY_LINE.match(line)
    # The colon at fault is the line's own key colon, not one inside a value.
    if match is None or match.end("key") != mark.column:
        return None
    previous = next(
        (
            lines[n]
            for n in range(mark.line - 1, -1, -1)
            if lines[n].strip() and not lines[n].lstrip().startswith("#")
        ),
        None,
    )
    prev_match = _KEY_LINE.match(previous) if previous is not None else None
    if prev_match is None:
        return None
    indent = len(match.group("indent"))
    sibling = len(prev_match.group("indent"))
    if prev_match.group(0).lstrip().startswith("- "):
        sibling = prev_match.start("key")
    if indent <= sibling:
        return None
    key = match.group("key").strip()
    return YamlProblem(
        mark.line + 1,
        indent + 1,
        f"'{key}:' is indented further than the line above it, so YAML reads it as part of the "
        "value on that line",
        f"indent '{key}:' by {sibling} spaces, lined up with '{prev_match.group('key').strip()}:' above",
    )


def _shorten(text: str, limit: int = 50) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _syntax_hint(problem: str) -> str | None:
    for needle, hint in _SYNTAX_HINTS:
        if needle in problem:
            return hint
    return None
