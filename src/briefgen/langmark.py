"""Passages in another language: ForeignText values in a template -> `lang` on the HTML around them.

A value whose translation is missing is shown in the language it has (select.py makes it a
ForeignText). Screen readers must then switch voice, browsers and WeasyPrint hyphenate it
by its own rules: WCAG 3.1.2 asks for a `lang` attribute. A template cannot know where a
value lands (text, an attribute, the <title>), so a ForeignText escaped into HTML comes out
between private-use characters naming its language (its `__html__` is `marked`): printed by
a template (the `finalize` hook), formatted into a label (`_('For: {audience}').format(
audience=...)`: Markup's format escapes its arguments), joined with Markup, or escaped by
Python code that builds HTML (caselabels.py). `mark_languages` turns the marks into
`<span lang="..">` in text and removes them everywhere else. Markdown fields are wrapped by
the md filters directly (a `<div lang>` or `<span lang>`), their output being always text.
Plain `str.format` and f-strings keep no marks, so text that is not HTML (chart labels, CSS
strings, file names) stays as written.
"""

from __future__ import annotations

import re

from jinja2 import pass_eval_context
from jinja2.filters import do_join, make_attrgetter
from markupsafe import Markup, escape

_OPEN, _SEP, _CLOSE = "\ue000", "\ue001", "\ue002"
_MARK = re.compile(f"{_OPEN}([A-Za-z0-9-]+){_SEP}|{_CLOSE}")
_TOKEN = re.compile(r"<!--.*?-->|<[^>]*>|[^<]+", re.S)
_RAW = {"title", "style", "script", "textarea"}  # text that is not markup: marks are removed


def marked(value: str) -> Markup:
    """A ForeignText as escaped HTML between the marks naming its language."""
    lang = getattr(value, "lang", None)
    text = escape(str(value))
    return Markup(f"{_OPEN}{lang}{_SEP}{text}{_CLOSE}") if lang and text else text


def bracket(value):
    """The Jinja finalize hook: a ForeignText is printed between marks naming its language."""
    lang = getattr(value, "lang", None)
    if lang and isinstance(value, str) and not isinstance(value, Markup):
        return marked(value)
    return value


def strip_marks(text: str) -> str:
    """Text without language marks, for where no tag can carry them (a CSS string)."""
    return _MARK.sub("", text)


def wrap_block(value, html: Markup) -> Markup:
    lang = getattr(value, "lang", None)
    return Markup(f'<div lang="{lang}">{html}</div>') if lang and html else html


def wrap_inline(value, html: Markup) -> Markup:
    lang = getattr(value, "lang", None)
    return Markup(f'<span lang="{lang}">{html}</span>') if lang and html else html


def mark_languages(html: str) -> str:
    """Marks in text become `<span lang>`; marks in tags and in raw text are dropped."""
    if _OPEN not in html and _CLOSE not in html:
        return html
    out: list[str] = []
    raw: str | None = None
    for token in _TOKEN.findall(html):
        if token.startswith("<"):
            name = re.match(r"</?([A-Za-z0-9]+)", token)
            tag = name.group(1).lower() if name else ""
            if raw is None and tag in _RAW and not token.startswith("</"):
                raw = tag
            elif raw == tag and token.startswith("</"):
                raw = None
            out.append(_MARK.sub("", token))
        elif raw is not None:
            out.append(_MARK.sub("", token))
        else:
            out.append(_MARK.sub(lambda m: f'<span lang="{m.group(1)}">' if m.group(1) else "</span>", token))
    return "".join(out)


def lang_attr(value) -> str:
    """` lang="en"` for a ForeignText, "" for anything else (for HTML built in Python)."""
    lang = getattr(value, "lang", None)
    return f' lang="{lang}"' if lang else ""


@pass_eval_context
def marked_join(eval_ctx, value, d: str = "", attribute=None):
    """Jinja's join, keeping the marks of the ForeignText items it joins (names of
    organisers, say, some of them untranslated)."""
    if attribute is not None:
        value = map(make_attrgetter(eval_ctx.environment, attribute), value)
    return do_join(eval_ctx, [bracket(item) for item in value], d)
