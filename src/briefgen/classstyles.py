"""Theme `styles` and `css`: a theme's custom classes -> one look (ClassLook) for both formats.

`styles.ask: {background: "#1d4e89", color: white, border: brand}` in theme.yaml is typed by
tokens.ClassStyle; here it becomes a ClassLook (colours as six hex digits, the font family
resolved), which the print CSS (`class_css`, appended after the theme's print CSS) and the
DOCX writer (writers/docx/theme_styles.py: named Word styles; styled_blocks.py: where they
are used) both read, so a class looks the same in the PDF and in Word. The theme's `css`
files are appended after that, for the PDF and the HTML only.

Also here, the checks of these tokens that need more than their own value: a `font` that is
no family of the theme, a class of the HTML vocabulary restyled, a `css` file that is not in
the theme's folder, a body or heading family without a font file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic, error
from .yamlsource import Node

if TYPE_CHECKING:
    from .theme import Theme
    from .tokens import Tokens

# The classes of the HTML vocabulary (docs/html-vocabulary.md) and of the built-in templates:
# their look comes from the theme's other tokens; `styles` may not redefine them.
VOCABULARY_CLASSES = frozenset(
    {
        "callout",
        "card",
        "cases-overview",
        "closing",
        "cover",
        "cover-meta",
        "facts",
        "internal",
        "key-messages",
        "letter",
        "letter-body",
        "letter-date",
        "letter-logo",
        "letter-recipient",
        "letterhead",
        "letterhead-name",
        "logo",
        "marking",
        "masthead",
        "no-toc",
        "page-break",
        "page-footer",
        "photo",
        "priority-high",
        "recipient",
        "recommendations",
        "salutation",
        "screen-only",
        "print-only",
        "section",
        "signatories",
        "signatory",
        "signatory-name",
        "signatory-role",
        "signature",
        "small",
        "sources",
        "status",
        "subtitle",
        "timeline",
        "toc",
        "chart",
        "footnote",
        "footnote-call",
        "footnotes",
        "notes",
        "nobreak",
        "long-token",
        "footnote-back",
        "marks",
        "heading-anchor",  # the web page's own (webnav.py), screen-only like the notes
        "marking-banner",
    }
)


def is_vocabulary(cls: str) -> bool:
    """Whether a class is one of the HTML vocabulary's (or the renderer's own)."""
    return cls in VOCABULARY_CLASSES or cls.startswith("chart-")


# Space between columns (mm), in the PDF and in the DOCX's section columns.
COLUMN_GAP_MM = 8


@dataclass(frozen=True)
class ClassLook:
    """One custom class's look: colours as "RRGGBB" (Word's form; CSS adds the '#')."""

    name: str  # the class, e.g. "ask"
    word_name: str  # its Word paragraph style, e.g. "Ask"
    background: str | None
    color: str | None
    border: str | None
    border_width: float  # points
    font: str | None  # a family
    font_role: str  # "body" or "heading": whose fallback stack follows the family
    size: float | None
    bold: bool | None
    italic: bool | None
    columns: int

    @property
    def boxed(self) -> bool:
        """A box (padding, background or border) rather than text styles alone."""
        return self.background is not None or self.border is not None

    @property
    def box_name(self) -> str:
        """Its Word table style: the box around a styled block."""
        return f"{self.word_name} Box"

    def heading_name(self, level: int) -> str:
        """Its Word heading style of `level` (a heading inside the box, in its text colour)."""
        return f"{self.word_name} Heading {level}"


def word_name(cls: str) -> str:
    """'call-to-action' -> 'Call To Action': the Word style a class becomes."""
    return " ".join(part.capitalize() for part in cls.split("-") if part)


def class_looks(theme: Theme) -> dict[str, ClassLook]:
    """The theme's `styles`, each class's values resolved against its other tokens."""
    looks = {}
    for name, style in theme.tokens.styles.items():
        if style.font in (None, "body"):
            font, role = (None if style.font is None else theme.body_font), "body"
        elif style.font == "heading":
            font, role = theme.heading_font, "heading"
        else:
            font, role = style.font, "body"
        looks[name] = ClassLook(
            name=name,
            word_name=word_name(name),
            background=_hex(theme, style.background),
            color=_hex(theme, style.color),
            border=_hex(theme, style.border),
            border_width=float(style.border_width),
            font=font,
            font_role=role,
            size=style.size,
            bold=style.bold,
            italic=style.italic,
            columns=style.columns or 1,
        )
    return looks


def _hex(theme: Theme, value: str | None) -> str | None:
    if value is None:
        return None
    if not value.startswith("#"):
        return theme.color(value)  # a colour token: brand, accent ...
    digits = value[1:].upper()
    return "".join(d * 2 for d in digits) if len(digits) == 3 else digits


# ---------------------------------------------------------------- the print CSS


def class_css(theme: Theme, stack) -> str:
    """CSS rules for the theme's custom classes; `stack(role)` is the font stack of a role
    ("body", "heading") for the document's language."""
    rules = []
    boxes = theme.boxes
    for look in theme.class_styles.values():
        sel = f".{look.name}"
        decl = []
        if look.background:
            decl.append(f"background-color: #{look.background};")
        if look.color:
            decl.append(f"color: #{look.color};")
        if look.border:
            decl.append(f"border: {look.border_width:g}pt solid #{look.border};")
        if look.boxed:
            # As the callouts: padding from `boxes`, kept on one page unless set in columns.
            decl.append(f"padding: {boxes.padding_top}mm {boxes.padding_side}mm {boxes.padding_bottom}mm;")
            decl.append(f"margin: 0 0 {theme.paragraph_after}pt 0;")
            if look.columns == 1:
                decl.append("break-inside: avoid;")
        if look.font:
            decl.append(f'font-family: "{look.font}", {stack(look.font_role)};')
        if look.size:
            decl.append(f"font-size: {look.size:g}pt;")
        if look.bold is not None:
            decl.append(f"font-weight: {'bold' if look.bold else 'normal'};")
        if look.italic is not None:
            decl.append(f"font-style: {'italic' if look.italic else 'normal'};")
        if look.columns > 1:
            decl.append(f"columns: {look.columns}; column-gap: {COLUMN_GAP_MM}mm;")
        rules.append(f"{sel} {{ {' '.join(decl)} }}")
        if look.color:
            # Headings inside take the class's text colour (the DOCX's "Ask Heading 2" ...).
            heads = ", ".join(f"{sel} h{n}" for n in range(1, 5))
            rules.append(f"{heads} {{ color: #{look.color}; }}")
        if look.boxed:
            rules.append(f"{sel} > :first-child {{ margin-top: 0; }}")
            rules.append(f"{sel} > :last-child {{ margin-bottom: 0; }}")
    return "\n/* theme styles (theme.yaml `styles`) */\n" + "\n".join(rules) + "\n" if rules else ""


def theme_css_files(theme: Theme) -> str:
    """The theme's `css` files, in order, each after a comment naming it."""
    out = []
    for path in theme.css_files:
        out.append(f"\n/* {path.name} (theme.yaml `css`) */\n" + path.read_text(encoding="utf-8"))
    return "".join(out)


# Class selectors in a style sheet (not inside strings or url()s: good enough for a warning).
_CLASS_SELECTOR = re.compile(r"(?<![\w-])\.(-?[A-Za-z_][\w-]*)")
_COLUMNS = re.compile(r"(?<![\w-])(column-count|columns)\s*:", re.I)


def css_classes(css: str) -> set[str]:
    """The class names a style sheet's selectors name."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"\{[^{}]*\}", "{}", css)  # declarations: numbers such as 1.5em are no classes
    return set(_CLASS_SELECTOR.findall(css))


_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")


def css_column_classes(css: str) -> set[str]:
    """The classes of rules that set `columns` or `column-count` (innermost rules, so those
    inside @media too)."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found: set[str] = set()
    for selector, body in _RULE.findall(css):
        if _COLUMNS.search(body):
            found |= set(_CLASS_SELECTOR.findall(selector))
    return found


# ---------------------------------------------------------------- checks of theme.yaml


def family_problems(tokens: Tokens, root: Node | None, shown: str) -> list[Diagnostic]:
    """The body or heading family, or a class's `font`, that the theme has no file for (it
    would silently be printed in whatever font the machine has), and classes of the
    vocabulary restyled under `styles`."""
    families = {f.family for f in tokens.fonts.files}
    for script in tokens.scripts.values():
        if script is not None:
            families |= {script.body, script.heading}
    problems = []
    for role in ("body", "heading", "mono"):
        family = getattr(tokens.fonts, role)
        if family not in families:
            node = _at(root, "fonts", role)
            problems.append(
                _error(
                    shown,
                    node,
                    f"fonts.{role} {family!r}: no file of this family in fonts.files",
                    f"add its files, e.g. fonts: {{files: [{{family: {family}, weight: 400, "
                    "file: fonts/MyFont-Regular.ttf}]}; the default theme's files stay",
                )
            )
    for name, style in tokens.styles.items():
        if name in VOCABULARY_CLASSES:
            problems.append(
                _error(
                    shown,
                    _key(root, "styles", name),
                    f"styles.{name}: '{name}' is a class of the HTML vocabulary",
                    f"give your class a name of its own, e.g. {name}-custom; the vocabulary's "
                    "classes take their look from the colors, boxes and sizes tokens",
                )
            )
        if style.font not in (None, "body", "heading") and style.font not in families:
            choices = ", ".join(["body", "heading", *sorted({f.family for f in tokens.fonts.files})][:8])
            problems.append(
                _error(
                    shown,
                    _at(root, "styles", name, "font"),
                    f"styles.{name}.font {style.font!r}: not a font of the theme",
                    f"one of {choices} (a family needs its files under fonts.files)",
                )
            )
    return problems


def css_file_problems(tokens: Tokens, root: Node | None, folder: Path, shown: str) -> list[Diagnostic]:
    """`css` entries that are no readable .css file inside the theme's folder."""
    problems = []
    for index, name in enumerate(tokens.css):
        path = (folder / name).resolve()
        if not path.is_relative_to(folder):
            message = f"css file {name!r} leads out of the theme's folder"
        elif path.suffix.lower() != ".css":
            message = f"css file {name!r} is not a .css file"
        elif not path.is_file():
            message = f"css file {name!r} not found in the theme's folder"
        else:
            continue
        problems.append(
            _error(
                shown,
                _at(root, "css", index),
                message,
                "name a file relative to the theme's folder, e.g. css: [extra.css]",
            )
        )
    return problems


def _error(shown: str, node: Node | None, message: str, hint: str) -> Diagnostic:
    line, column = (node.line, node.column) if node is not None else (1, 1)
    return error(shown, line, column, message, hint)


def _at(node: Node | None, *path: str | int) -> Node | None:
    return node.at(*path) if node is not None else None


def _key(node: Node | None, *path: str) -> Node | None:
    """The key node of the last part of `path` (a class's name under `styles`)."""
    parent = _at(node, *path[:-1])
    if parent is None or parent.kind != "map":
        return None
    for key, _ in parent.pairs:
        if key.value == path[-1]:
            return key
    return None


# ---------------------------------------------------------------- classes without a look

# Block elements whose classes are checked (a class on inline text only keeps its text;
# a paragraph's unknown class the DOCX writer reports itself).
_CHECKED_TAGS = frozenset(
    {"div", "section", "article", "blockquote", "header", "footer", "main", "nav", "aside", "p"}
    | {"ul", "ol", "li", "dl", "table", "h1", "h2", "h3", "h4", "h5", "h6"}
)


def class_problems(body, theme: Theme) -> list[tuple[str, str]]:
    """(key, message) for each class on a block of the rendered document (an lxml tree) that
    the DOCX has no look for: neither in the HTML vocabulary nor under the theme's `styles`.
    A class the theme's CSS styles is named as such (the PDF shows it, the DOCX cannot), and
    one it sets in columns too. One entry per class."""
    looks = theme.class_styles
    css_only, columns_only = _css_only_classes(theme)
    found: dict[str, str] = {}
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag not in _CHECKED_TAGS:
            continue
        if any(a.tag in ("svg", "figure") for a in el.iterancestors()):
            continue  # charts and figures: the renderer's own classes
        for cls in (el.get("class") or "").split():
            if cls in found:
                continue
            if cls in columns_only and not (cls in looks and looks[cls].columns > 1):
                found[cls] = (
                    f"class '{cls}' (<{el.tag}>) is set in columns by the theme's CSS "
                    f"({columns_only[cls]}) but in one column in the DOCX (hint: write styles: "
                    f"{cls}: {{columns: 2}} in theme.yaml instead: both formats follow it)"
                )
            elif is_vocabulary(cls) or cls in looks:
                continue
            elif cls in css_only:
                found[cls] = (
                    f"class '{cls}' (<{el.tag}>) is styled by the theme's CSS only ({css_only[cls]}): "
                    f"the DOCX cannot show that look (hint: give it its look under styles: {cls}: in "
                    "theme.yaml, which both formats follow)"
                )
            else:
                found[cls] = (
                    f"class '{cls}' (<{el.tag}>) is neither in the HTML vocabulary nor under the "
                    "theme's styles: it has no look in the PDF or the DOCX (hint: define it under "
                    f"styles: {cls}: in theme.yaml, or see docs/html-vocabulary.md)"
                )
    return [(f"class:{cls}", message) for cls, message in found.items()]


def _css_only_classes(theme: Theme) -> tuple[dict[str, str], dict[str, str]]:
    """Classes named in the theme's `css` files and its own print.css.j2 -> the file; and
    those of them that the CSS sets in columns -> the file."""
    found: dict[str, str] = {}
    columns: dict[str, str] = {}
    sources = [*theme.css_files]
    own_print = theme.folder / "print.css.j2"
    if own_print.is_file() and theme.folder.name != "default":
        sources.append(own_print)
    for path in sources:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue
        for cls in css_classes(text):
            found.setdefault(cls, path.name)
        for cls in css_column_classes(text):
            columns.setdefault(cls, path.name)
    return found, columns
