"""Template errors: a Jinja exception + the template's source -> a Diagnostic an author can act on.

Jinja tells the line of a mistake, never the column, and sometimes not even the right line:
an `{% if %}` left open is noticed at the `{% endblock %}` or the end of the file. Here the
template is lexed as Jinja lexes it, each token given its position (templatetokens.py), and:

- a syntax error is placed at the token the parser stopped at (re-parsed with positions),
  an unknown tag at its `{%`, an unknown filter or test at its name;
- a block left open is reported at its opening tag, found by pairing the block tags;
- a missing field names what the template received, as docs/templates.md calls it ("a case
  has no field 'titel'", recordkinds.py) with "did you mean" and the fields it has, at the
  expression that asked for it; never a Python class name.

Lines and columns are 1-based; a column is 0 only when the source cannot be read.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, TemplateSyntaxError, UndefinedError
from jinja2.environment import TemplateModule
from jinja2.exceptions import SecurityError, TemplateError
from jinja2.runtime import LoopContext, StrictUndefined
from jinja2.utils import missing

from .diagnostics import Diagnostic, error
from .recordkinds import describe, record_fields, record_kind
from .select import Record
from .templatetokens import (
    KNOWN_TAGS,
    MIDDLES,
    OPENERS,
    Positions,
    Tag,
    Token,
    after_dot,
    block_tags,
    calls,
    failing_column,
    field_use,
    first_construct,
    lex,
    name_use,
    nesting_problem,
    normalized,
    previous_significant,
)

PREFIX = "template error: "

# ---------------------------------------------------------------- syntax errors


_UNKNOWN_TAG = re.compile(r"Encountered unknown tag '(\w+)'")
_NO_FILTER = re.compile(r"No filter named '([^']+)'")
_NO_TEST = re.compile(r"No test named '([^']+)'")
_AT_OFFSET = re.compile(r" at (\d+)$")


def syntax_diagnostic(
    exc: TemplateSyntaxError, path: str, source: str | None, env: Environment
) -> Diagnostic:
    """A TemplateSyntaxError (also a compile-time TemplateAssertionError) at its column."""
    try:
        return _syntax_diagnostic(exc, path, source, env)
    except Exception:  # a template this module cannot read: Jinja's own words, never a traceback
        return error(path, exc.lineno or 0, 0, PREFIX + (exc.message or str(exc)))


def _syntax_diagnostic(
    exc: TemplateSyntaxError, path: str, source: str | None, env: Environment
) -> Diagnostic:
    line = exc.lineno or 0
    message = exc.message or str(exc)
    if source is None:
        return error(path, line, 0, PREFIX + message)
    tokens, lex_error = lex(source, env)
    if lex_error is not None and lex_error.lineno == exc.lineno and lex_error.message == exc.message:
        return _lexer_diagnostic(exc, path, source, tokens)
    unknown = _UNKNOWN_TAG.search(message)
    if unknown or message.startswith("Unexpected end of template"):
        name = unknown.group(1) if unknown else None
        if name is None or name in MIDDLES or (name.startswith("end") and name[3:] in OPENERS):
            found = _nesting_diagnostic(path, block_tags(tokens))
            if found is not None:
                return found
        elif name is not None:
            return _unknown_tag(path, line, name, tokens)
    for pattern, what, known in ((_NO_FILTER, "filter", env.filters), (_NO_TEST, "test", env.tests)):
        named = pattern.search(message)
        if named:
            return _unknown_name(path, line, what, named.group(1), known, tokens)
    column = failing_column(env, source, exc) or first_construct(tokens, line)
    hint = next((h for words, h in _PARSER_HINTS if words in message), None)
    return error(path, line, column, PREFIX + message, hint=hint)


# What the parser's own words mean for the author, where they are terse.
_PARSER_HINTS = (
    ("expected token 'end of print statement'", "two expressions in one {{ }}: join them with ~"),
    ("'end of print statement'", "the expression before }} is incomplete or has a stray character"),
    ("'end of statement block'", "the tag before %} is incomplete or has a stray character"),
    ("unexpected '", "a bracket, quote or operator before it is missing or one too many"),
)


def _lexer_diagnostic(exc: TemplateSyntaxError, path: str, source: str, tokens: list[Token]) -> Diagnostic:
    """The lexer stopped: at an offset it names, else at the construct it could not finish."""
    message = exc.message or ""
    at = _AT_OFFSET.search(message)
    if at:
        line, column = Positions(normalized(source)).at(int(at.group(1)))
        return error(path, line, column, PREFIX + message[: at.start()])
    begun = tokens[-1] if tokens and tokens[-1].type.endswith("_begin") else None
    if begun is not None:
        ends = {"comment_begin": "#}", "raw_begin": "{% endraw %}"}
        hint = f"close it with {ends[begun.type]}" if begun.type in ends else None
        return error(path, begun.line, begun.column, PREFIX + message, hint=hint)
    hint = next((h for words, h in _PARSER_HINTS if words in message), None)
    if tokens:
        # A bracket that closes nothing: the lexer stops right after the last token it made.
        text = normalized(source)
        after = tokens[-1].offset + len(tokens[-1].value)
        while after < len(text) and text[after] in " \t\n":
            after += 1
        line, column = Positions(text).at(after)
        return error(path, line, column, PREFIX + message, hint=hint)
    return error(path, exc.lineno or 0, 0, PREFIX + message, hint=hint)


def _tag_text(name: str) -> str:
    return "{% " + name.rstrip("=") + " %}"


def _nesting_diagnostic(path: str, tags: list[Tag]) -> Diagnostic | None:
    found = nesting_problem(tags)
    if found is None:
        return None
    tag = found.tag
    if found.problem == "unclosed":
        where = (
            f"Jinja reached {_tag_text(found.found.name)} at line {found.found.line} first"
            if found.found
            else "Jinja reached the end of the file first"
        )
        return error(
            path,
            tag.line,
            tag.column,
            PREFIX + f"{_tag_text(tag.name)} is never closed",
            hint=f"close it with {_tag_text('end' + tag.name)} where it should end; {where}",
        )
    if found.problem == "stray":
        opener = tag.name[3:]
        inside = (
            f" (the open block is the {_tag_text(found.found.name)} of line {found.found.line})"
            if found.found
            else ""
        )
        return error(
            path,
            tag.line,
            tag.column,
            PREFIX + f"{_tag_text(tag.name)} closes no {_tag_text(opener)}{inside}",
            hint=f"remove it, or open the block with {_tag_text(opener)} before it",
        )
    allowed = " or ".join(_tag_text(t) for t in MIDDLES[tag.name])
    if found.found is not None:  # inside another block: {% elif %} in a {% for %} in an {% if %}
        return error(
            path,
            tag.line,
            tag.column,
            PREFIX + f"{_tag_text(tag.name)} is not directly inside {allowed}: the innermost open "
            f"block is the {_tag_text(found.found.name)} of line {found.found.line}",
            hint=f"close that block before it, or move it into {allowed}",
        )
    return error(
        path,
        tag.line,
        tag.column,
        PREFIX + f"{_tag_text(tag.name)} is outside any {allowed}",
        hint=f"move it inside {allowed}, or check that the block it belongs to was not closed already",
    )


def _unknown_tag(path: str, line: int, name: str, tokens: list[Token]) -> Diagnostic:
    tag = next((t for t in block_tags(tokens) if t.line == line and t.name == name), None)
    column = tag.column if tag else first_construct(tokens, line)
    close = difflib.get_close_matches(name, KNOWN_TAGS, n=1, cutoff=0.6)
    hint = f"did you mean {_tag_text(close[0])}?" if close else "the tags are Jinja's (docs/templates.md)"
    return error(path, line, column, PREFIX + f"unknown tag {_tag_text(name)}", hint=hint)


def _unknown_name(path: str, line: int, what: str, name: str, known, tokens: list[Token]) -> Diagnostic:
    """An unknown filter (after `|`) or test (after `is`, `is not`) at its name."""
    after = {"filter": ("|",), "test": ("is", "not")}[what]
    column = 0
    for index, token in enumerate(tokens):
        if token.line == line and token.type == "name" and token.value == name:
            before = previous_significant(tokens, index)
            if before is not None and tokens[before].value in after:
                column = token.column
                break
    column = column or first_construct(tokens, line)
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"see the {what}s in docs/templates.md"
    return error(path, line, column, PREFIX + f"unknown {what} '{name}'", hint=hint)


# ---------------------------------------------------------------- missing fields and names


class MissingValue(UndefinedError):
    """A template asked for a field a value does not have, or a name it did not receive;
    carries the value and the name, so that the error can say what the value is."""

    def __init__(self, message: str, obj: Any, name: str | None):
        super().__init__(message)
        self.obj = obj
        self.name = name


class FieldUndefined(StrictUndefined):
    """StrictUndefined whose error carries the value and name asked for, and whose message
    never names a Python class ("a case has no field 'titel'")."""

    __slots__ = ()

    def __init__(self, hint=None, obj=missing, name=None, exc=UndefinedError):
        super().__init__(hint, obj, name, exc)
        if exc is UndefinedError:  # the sandbox passes SecurityError for unsafe attributes
            self._undefined_exception = lambda message: MissingValue(message, obj, name)

    @property
    def _undefined_message(self) -> str:
        if self._undefined_hint:
            return self._undefined_hint
        if self._undefined_obj is missing:
            return f"{self._undefined_name!r} is undefined"
        return _no_field_message(None, self._undefined_obj, self._undefined_name)


def _what(value: Any) -> str:
    """What a value is, for the objects Jinja itself gives templates too."""
    if isinstance(value, LoopContext):
        return "the loop variable"
    if isinstance(value, TemplateModule):
        return "an imported template"
    return describe(value)


def _no_field_message(expression: str | None, value: Any, name: Any) -> str:
    what = _what(value)
    subject = expression or what
    if isinstance(value, dict):
        return f"{subject} has no key {name!r}"
    if isinstance(value, TemplateModule):
        return f"{subject} has no macro {name!r}"
    if isinstance(value, Record | LoopContext):
        kind = record_kind(value) if isinstance(value, Record) else "loop"
        if expression and kind and expression.rsplit(".", 1)[-1] != kind.split()[-1]:
            subject = f"{expression} ({what})"
        return f"{subject} has no field {name!r}"
    if expression:
        subject = f"{expression} is {what}, which"
    return f"{subject} has no field {name!r}"


def _fields_of(value: Any) -> list[str]:
    if isinstance(value, Record):
        return record_fields(value)
    if isinstance(value, dict):
        return [str(k) for k in value]
    if isinstance(value, LoopContext | TemplateModule):
        # The loop's fields (index, first ...), an imported template's macros.
        return [n for n in dir(value) if not n.startswith("_")]
    return []


def missing_value_diagnostic(
    exc: MissingValue,
    path: str,
    line: int,
    source: str | None,
    received: list[str],
    helpers: list[str] = (),
) -> Diagnostic:
    """`exc` raised at `line` of the template `path`. `received`: the names a template
    receives (docs/templates.md); `helpers`: the functions it may call besides."""
    tokens = lex(source)[0] if source is not None else []
    name = exc.name
    if exc.obj is missing:  # a name the template did not receive
        where = name_use(tokens, line, str(name))
        local = {t.value for i, t in enumerate(tokens) if t.type == "name" and not after_dot(tokens, i)}
        candidates = sorted((set(received) | set(helpers) | local) - {name})
        close = difflib.get_close_matches(str(name), candidates, n=1, cutoff=0.6)
        hint = f"templates receive {', '.join(sorted(received))} (docs/templates.md)"
        if close:
            hint = f"did you mean '{close[0]}'? {hint}"
        line, column = where or (line, first_construct(tokens, line))
        return error(path, line, column, PREFIX + f"{name!r} is undefined", hint=hint)
    found = field_use(tokens, line, str(name))
    expression = found[2] if found else None
    message = _no_field_message(expression, exc.obj, name)
    fields = _fields_of(exc.obj)
    close = difflib.get_close_matches(str(name), fields, n=1, cutoff=0.6)
    if exc.obj is None:
        shown = expression or "the value"
        advice = f"test it first: {{% if {shown} %}}...{{% endif %}}"
    elif isinstance(exc.obj, list | tuple):
        advice = "loop over it with {% for item in ... %} and ask each item"
    elif isinstance(exc.obj, dict):
        keys = ", ".join(repr(k) for k in fields)
        advice = f"{expression or 'it'} has the keys {keys}" if fields else f"{expression or 'it'} is empty"
    elif fields:
        owner = _what(exc.obj) if isinstance(exc.obj, Record) else expression or _what(exc.obj)
        advice = f"{owner} has {', '.join(fields)}"
    else:
        advice = f"{_what(exc.obj)} has no fields"
    hint = f"did you mean '{close[0]}'? {advice}" if close else advice
    line, column = (found[0], found[1]) if found else (line, first_construct(tokens, line))
    return error(path, line, column, PREFIX + message, hint=hint)


# ---------------------------------------------------------------- other runtime errors


_UNSAFE = re.compile(r"access to attribute '([^']+)' of '([^']+)' object is unsafe")
_NO_FILTER_RUNTIME = re.compile(r"No (filter|test) named '([^']+)' found")


def runtime_diagnostic(
    exc: BaseException,
    path: str,
    line: int,
    source: str | None,
    received: list[str],
    env: Environment,
) -> Diagnostic:
    """An error raised while a template ran, at `line` of `path` (from the traceback)."""
    try:
        return _runtime_diagnostic(exc, path, line, source, received, env)
    except Exception:  # a template this module cannot read: the error's own words
        return error(path, line, 0, PREFIX + f"{type(exc).__name__}: {exc}")


def _runtime_diagnostic(
    exc: BaseException,
    path: str,
    line: int,
    source: str | None,
    received: list[str],
    env: Environment,
) -> Diagnostic:
    if isinstance(exc, MissingValue):
        return missing_value_diagnostic(exc, path, line, source, received, list(env.globals))
    tokens = lex(source)[0] if source is not None else []
    text = str(exc)
    if isinstance(exc, SecurityError):
        unsafe = _UNSAFE.search(text)
        if unsafe:
            return _unsafe(path, line, tokens, unsafe.group(1))
    named = _NO_FILTER_RUNTIME.search(text)
    if named:
        what, name = named.groups()
        known = env.filters if what == "filter" else env.tests
        return _unknown_name(path, line, what, name, known, tokens)
    if isinstance(exc, TemplateError):
        return error(path, line, first_construct(tokens, line), PREFIX + text)
    called = _CALL_PROBLEM.match(text) if isinstance(exc, TypeError) else None
    if called:
        # "DocumentRenderer.render_parsed.<locals>.<lambda>() missing ...": the name the
        # template called it by, when the line has one call; never Python's name.
        names = calls(tokens, line)
        if len(names) == 1:
            return error(path, line, names[0].column, PREFIX + f"{names[0].value}() {called.group(2)}")
        return error(
            path, line, first_construct(tokens, line), PREFIX + f"a call on this line: {called.group(2)}"
        )
    return error(path, line, first_construct(tokens, line), PREFIX + f"{type(exc).__name__}: {text}")


_CALL_PROBLEM = re.compile(r"^(\S+)\(\) ((?:missing|takes|got) .*)$")


def _unsafe(path: str, line: int, tokens: list[Token], attribute: str) -> Diagnostic:
    found = field_use(tokens, line, attribute)
    expression = found[2] if found else "a value"
    line, column = (found[0], found[1]) if found else (line, first_construct(tokens, line))
    if attribute.startswith("_"):
        return error(
            path,
            line,
            column,
            PREFIX + f"{expression} has no field {attribute!r}",
            hint="names starting with '_' are not available to templates",
        )
    return error(
        path,
        line,
        column,
        PREFIX + f"a template cannot change {expression} ({attribute!r})",
        hint="lists and mappings a template receives or makes are read-only: make a new one, "
        "{% set items = items + [item] %}, or count with a namespace, "
        "{% set ns = namespace(n=0) %}{% set ns.n = ns.n + 1 %}",
    )


def not_found_diagnostic(name: str, path: str, line: int, source: str | None, env: Environment) -> Diagnostic:
    """A template that extends, includes or imports one the chain does not have: at the
    string naming it, with "did you mean" among the names the chain has."""
    tokens = lex(source)[0] if source is not None else []
    named = [t for t in tokens if t.type == "string" and t.value[1:-1] == name]
    on_line = [t for t in named if t.line == line] or named[:1]
    line, column = (on_line[0].line, on_line[0].column) if on_line else (line, first_construct(tokens, line))
    try:
        known = env.list_templates()
    except (TypeError, OSError):  # a loader that cannot list
        known = []
    # Compared without the suffix every name shares, or "nope.html.j2" is near "base.html.j2".
    stems = {n.removesuffix(".html.j2"): n for n in known}
    close = difflib.get_close_matches(name.removesuffix(".html.j2"), list(stems), n=1, cutoff=0.6)
    hint = (
        f"did you mean '{stems[close[0]]}'?"
        if close
        else "see `briefgen list` for the templates each output finds"
    )
    return error(path, line, column, PREFIX + f"template {name!r} not found", hint=hint)


def construct_column(source: str | None, line: int) -> int:
    """The column of the first tag or expression on `line` of a template (0 without source)."""
    return first_construct(lex(source)[0], line) if source is not None else 0


def read_source(filename: str | None) -> str | None:
    """A template file's text, or None (a template not read from a file)."""
    if not filename:
        return None
    try:
        return Path(filename).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
