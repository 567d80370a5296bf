"""Template tokens: a template's text -> Jinja's tokens, each with its line and column; its
block tags paired; where an expression, a name or a failing token stands.

Jinja's lexer gives a token's line, never its column. Lexed again here with the
environment's own lexer, each token is found in the text where the lexer took it from, so
templateerrors.py can place an error at the tag or expression at fault. Lines and columns
are 1-based.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, TemplateSyntaxError
from jinja2.lexer import TokenStream
from jinja2.parser import Parser

# Tags that open a block closed by `end<tag>`, and the tags allowed between (Jinja's own and
# those of the i18n extension). `set` opens one only without `=`: {% set x %}...{% endset %}.
OPENERS = {"for", "if", "block", "macro", "call", "filter", "with", "autoescape", "trans", "set"}
MIDDLES = {"elif": ("if",), "else": ("if", "for"), "pluralize": ("trans",)}
# Every tag a template may use: the openers, their ends, the middles and single tags.
SINGLE_TAGS = {"extends", "include", "import", "from", "print", "do", "break", "continue"}
KNOWN_TAGS = sorted(OPENERS | {f"end{t}" for t in OPENERS} | set(MIDDLES) | SINGLE_TAGS)


# ---------------------------------------------------------------- tokens with positions


@dataclass(frozen=True)
class Token:
    line: int
    column: int  # 1-based
    offset: int
    type: str  # Jinja's: block_begin, name, operator, string, data, variable_begin ...
    value: str


@dataclass(frozen=True)
class Tag:
    name: str
    line: int
    column: int  # of its `{%`
    index: int  # of its name token


def normalized(source: str) -> str:
    # Jinja's lexer reads "\r\n" and "\r" as "\n"; columns do not change.
    return source.replace("\r\n", "\n").replace("\r", "\n")


class Positions:
    """Offsets in a text -> (line, column)."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def _raw_tokens(env: Environment, text: str):
    """(lineno, type, value, offset) of each token Jinja's lexer makes of `text`, in order.

    Every token's value stands in the text where the lexer found it; whitespace control
    (`{%-`, lstrip_blocks, trim_blocks) only shortens a data token at its ends, so searching
    forward from the end of the previous token finds each one."""
    cursor = 0
    for lineno, kind, value in env.lexer.tokeniter(text, None):
        if not value:
            continue
        at = text.find(value, cursor)
        if at < 0:  # cannot happen for a text Jinja lexed; stop rather than guess
            return
        cursor = at + len(value)
        yield lineno, kind, value, at


def lex(source: str, env: Environment | None = None) -> tuple[list[Token], TemplateSyntaxError | None]:
    """The template's tokens with positions, as far as it lexes, and the lexer's error if any."""
    env = env or plain_env()
    text = normalized(source)
    positions = Positions(text)
    found: list[Token] = []
    try:
        for _lineno, kind, value, at in _raw_tokens(env, text):
            found.append(Token(*positions.at(at), at, kind, value))
    except TemplateSyntaxError as exc:
        return found, exc
    return found, None


def block_tags(tokens: list[Token]) -> list[Tag]:
    """Every `{% name ... %}` of the template; a `{% set x = ... %}` is kept out of the
    block-opening kind by naming it "set=" (it needs no {% endset %})."""
    tags = []
    for index, token in enumerate(tokens):
        if token.type != "block_begin":
            continue
        name_at = next_significant(tokens, index + 1)
        if name_at is None or tokens[name_at].type != "name":
            continue
        name = tokens[name_at].value
        if name == "set" and _assigns(tokens, name_at):
            name = "set="
        tags.append(Tag(name, token.line, token.column, name_at))
    return tags


def next_significant(tokens: list[Token], start: int) -> int | None:
    for index in range(start, len(tokens)):
        if tokens[index].type != "whitespace":
            return index
    return None


def _assigns(tokens: list[Token], start: int) -> bool:
    """The tag starting at `start` has a top-level `=` before its end: {% set x = 1 %}."""
    depth = 0
    for token in tokens[start:]:
        if token.type == "block_end":
            return False
        if token.type == "operator":
            if token.value in "([{":
                depth += 1
            elif token.value in ")]}":
                depth -= 1
            elif token.value == "=" and depth == 0:
                return True
    return False


# ---------------------------------------------------------------- pairing block tags


@dataclass(frozen=True)
class Nesting:
    """The first nesting mistake: `tag` is at fault; `found` is where Jinja noticed it (the
    closing tag it met instead, or None for the end of the file)."""

    problem: str  # "unclosed", "stray" (an end tag with no opener), "misplaced" (else/elif/pluralize)
    tag: Tag
    found: Tag | None = None


def nesting_problem(tags: list[Tag]) -> Nesting | None:
    open_tags: list[Tag] = []
    for tag in tags:
        if tag.name in OPENERS:
            open_tags.append(tag)
        elif tag.name.startswith("end") and tag.name[3:] in OPENERS:
            wanted = tag.name[3:]
            if open_tags and open_tags[-1].name == wanted:
                open_tags.pop()
            elif any(t.name == wanted for t in open_tags):
                return Nesting("unclosed", open_tags[-1], tag)
            else:
                return Nesting("stray", tag, open_tags[-1] if open_tags else None)
        elif tag.name in MIDDLES and (not open_tags or open_tags[-1].name not in MIDDLES[tag.name]):
            return Nesting("misplaced", tag, open_tags[-1] if open_tags else None)
    if open_tags:
        return Nesting("unclosed", open_tags[-1], None)
    return None


def previous_significant(tokens: list[Token], index: int) -> int | None:
    for at in range(index - 1, -1, -1):
        if tokens[at].type != "whitespace":
            return at
    return None


def first_construct(tokens: list[Token], line: int) -> int:
    """The column of the first tag or expression on `line`: where to look, when nothing
    more exact is known."""
    begins = ("block_begin", "variable_begin", "comment_begin", "raw_begin")
    return next((t.column for t in tokens if t.line == line and t.type in begins), 0)


def failing_column(env: Environment, source: str, exc: TemplateSyntaxError) -> int:
    """Parse again with each token's position known: the column of the token the parser
    stopped at, when it stops on the line Jinja reported."""
    text = normalized(source)
    positions = Positions(text)
    made: list[tuple[Any, int]] = []
    last = [0]

    def raw():
        for lineno, kind, value, at in _raw_tokens(env, text):
            last[0] = at
            yield lineno, kind, value

    def wrapped():
        for token in env.lexer.wrap(raw(), exc.name, exc.filename):
            made.append((token, last[0]))
            yield token

    try:
        parser = Parser(env, text, exc.name, exc.filename)
        parser.stream = TokenStream(wrapped(), exc.name, exc.filename)
        parser.parse()
    except TemplateSyntaxError as again:
        if again.lineno != exc.lineno:
            return 0
        current = parser.stream.current
        for token, offset in made:
            if token is current:
                return positions.at(offset)[1]
        if current.type == "eof":
            return positions.at(len(text.rstrip("\n")))[1]
    except Exception:  # a parser that fails otherwise tells nothing about the column
        return 0
    return 0


def after_dot(tokens: list[Token], index: int) -> bool:
    before = previous_significant(tokens, index)
    return before is not None and tokens[before].value == "."


def name_use(tokens: list[Token], line: int, name: str) -> tuple[int, int] | None:
    """Where a bare name is used: on `line`, else its only use in the file."""
    uses = [
        (t.line, t.column)
        for i, t in enumerate(tokens)
        if t.type == "name" and t.value == name and not after_dot(tokens, i)
    ]
    on_line = [u for u in uses if u[0] == line]
    return on_line[0] if on_line else (uses[0] if len(uses) == 1 else None)


def field_use(tokens: list[Token], line: int, name: str) -> tuple[int, int, str] | None:
    """Where `x.name` or `x['name']` is written: (line, column of the whole expression, its
    text up to the field), on `line`, else its only use in the file (`{% set t = case.titel %}`
    fails where t is printed)."""
    uses = []
    for index, token in enumerate(tokens):
        if token.type == "name" and token.value == name and after_dot(tokens, index):
            dot = previous_significant(tokens, index)
        elif token.type == "string" and token.value[1:-1] == name:
            dot = previous_significant(tokens, index)
            if dot is None or tokens[dot].value != "[":
                continue
        else:
            continue
        start = _expression_start(tokens, dot)
        if start is None:
            continue
        text = "".join(t.value for t in tokens[start:dot] if t.type != "whitespace")
        uses.append((tokens[start].line, tokens[start].column, text))
    on_line = [u for u in uses if u[0] == line]
    return on_line[0] if on_line else (uses[0] if len(uses) == 1 else None)


def _expression_start(tokens: list[Token], end: int) -> int | None:
    """The first token of the dotted, subscripted or called expression ending before `end`."""
    index = previous_significant(tokens, end)
    start = None
    while index is not None:
        token = tokens[index]
        if token.type == "operator" and token.value in ")]":
            index = _matching_open(tokens, index)
            if index is None:
                return start
            index = previous_significant(tokens, index)
            continue
        if token.type != "name":
            return start
        start = index
        before = previous_significant(tokens, index)
        if before is None or tokens[before].value != ".":
            return start
        index = previous_significant(tokens, before)
    return start


def _matching_open(tokens: list[Token], close: int) -> int | None:
    pairs = {")": "(", "]": "["}
    depth = 0
    wanted = pairs[tokens[close].value]
    for index in range(close, -1, -1):
        value = tokens[index].value if tokens[index].type == "operator" else None
        if value == tokens[close].value:
            depth += 1
        elif value == wanted:
            depth -= 1
            if depth == 0:
                return index
    return None


def calls(tokens: list[Token], line: int) -> list[Token]:
    """The names called on `line` (a name followed by "("), but the label function `_`."""
    found = []
    for index, token in enumerate(tokens):
        if token.line == line and token.type == "name" and token.value != "_":
            after = next_significant(tokens, index + 1)
            if after is not None and tokens[after].value == "(":
                found.append(token)
    return found


def plain_env() -> Environment:
    """An environment to lex with when none is given: render's extensions, Jinja's syntax."""
    return Environment(extensions=["jinja2.ext.i18n", "jinja2.ext.do"])
