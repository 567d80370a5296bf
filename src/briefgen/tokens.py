"""Theme tokens: the text of a theme.yaml -> a typed model (`Tokens`), and hints for its mistakes.

Each group of tokens is a frozen pydantic model that forbids unknown keys, so a misspelt
token (`colours:`, `brnad:`) is an error with "did you mean" rather than a value quietly
ignored. Values keep the number type they were written with (`18` stays the int 18, so the
print CSS says `18pt`); tokens that were always floats (sizes, spacing, the logo's width)
stay floats. A new group of tokens is a new model here, a field of `Tokens`, a line in the
default theme.yaml and a row in docs/themes.md; theme.py needs no change.

Units: sizes, heading spacing and table cell padding are points; page margins, box padding
and the logo are millimetres.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from tinycss2.color3 import parse_color

# Page sizes in millimetres (portrait): the `page.size` values both writers understand.
PAGE_SIZES = {
    "a3": (297, 420),
    "a4": (210, 297),
    "a5": (148, 210),
    "letter": (215.9, 279.4),
    "legal": (215.9, 355.6),
}

_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")
_COLOR = re.compile(r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def _number(value: Any) -> Any:
    """Text as written -> int or float; anything else is refused with a short reason."""
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        raise ValueError("expected a number, but found " + _kind(value))
    if isinstance(value, (int, float)):
        return value
    text = str(value).strip()
    if _INTEGER.match(text):
        return int(text)
    if _DECIMAL.match(text):
        return float(text)
    raise ValueError("not a number")


def _color(value: Any) -> Any:
    """ "#RRGGBB", "#RGB" or a CSS colour name ("teal", turned into "#008080"): a value both
    the print CSS and Word's w:color/w:fill (six hex digits) can carry."""
    if value is None:
        raise ValueError("the colour is empty")
    if not isinstance(value, str):
        raise ValueError("expected a colour, but found " + _kind(value))
    if _COLOR.match(value):
        return value
    named = css_colour_name(value)
    if named is None:
        raise ValueError("not a colour")
    return named


_NAME = re.compile(r"^[A-Za-z]+$")


def css_colour_name(value: str) -> str | None:
    """A CSS colour keyword ("teal", "DarkSlateGray") -> "#rrggbb"; None for anything else
    (transparent and currentColor too: Word has no such colour)."""
    if not _NAME.match(value):
        return None
    parsed = parse_color(value)
    if parsed is None or isinstance(parsed, str) or parsed.alpha != 1:
        return None
    return "#" + "".join(f"{round(c * 255):02x}" for c in (parsed.red, parsed.green, parsed.blue))


def _page_size(value: Any) -> Any:
    words = str(value).lower().split() if isinstance(value, str) else []
    if not words or words[0] not in PAGE_SIZES or words[1:] not in ([], ["portrait"], ["landscape"]):
        raise ValueError("not a page size")
    return value


def _flag(value: Any) -> Any:
    """true or false as written (YAML's yes/no/on/off are refused: they read as text elsewhere)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ValueError("must be true or false")


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    return "a mapping" if isinstance(value, dict) else "a list" if isinstance(value, list) else repr(value)


# A number as written: the int 18 or the float 10.5.
Number = Annotated[int | float, BeforeValidator(_number), Field(ge=0)]
# A number always used as a float (the print CSS has always shown these as 26.0).
Float = Annotated[float, BeforeValidator(_number), Field(ge=0)]
Color = Annotated[str, BeforeValidator(_color)]
Flag = Annotated[bool, BeforeValidator(_flag)]
FontName = Annotated[str, Field(min_length=1)]


class _Group(BaseModel):
    # Built on first validation: a build that finds its theme in the content cache never
    # validates one, and building 17 schemas at import cost every command about 60 ms.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def group_fields(group: _Group) -> dict[str, Any]:
    """What `group.model_dump()` gives for a group of scalar tokens (colours, sizes, page),
    read from its fields: the serializer, which `defer_build` leaves unbuilt, is not needed."""
    return {name: getattr(group, name) for name in type(group).model_fields}


class Colors(_Group):
    brand: Color
    accent: Color
    text: Color
    muted: Color
    box: Color
    rule: Color


class FontFileToken(_Group):
    family: FontName
    file: Annotated[str, Field(min_length=1)]
    weight: Annotated[int, Field(ge=100, le=1000)] = 400
    style: Literal["normal", "italic"] = "normal"


class FontFallback(_Group):
    body: list[FontName] = []
    heading: list[FontName] = []


class Fonts(_Group):
    body: FontName
    heading: FontName
    # `code` in both formats; a theme written before this token gets the default's monospace.
    mono: FontName = "DejaVu Sans Mono"
    files: list[FontFileToken]
    fallback: FontFallback = Field(default_factory=FontFallback)  # not built at import
    embed: Flag = True  # the DOCX carries subsets of the fonts it uses; false: only names them


_RANGE = re.compile(r"^\s*U\+([0-9A-Fa-f]{1,6})(?:-([0-9A-Fa-f]{1,6}))?\s*$")


def parse_ranges(text: str) -> tuple[tuple[int, int], ...]:
    """'U+0590-05FF, U+FB1D-FB4F' -> ((0x590, 0x5FF), (0xFB1D, 0xFB4F)), sorted."""
    out = []
    for part in text.split(","):
        match = _RANGE.match(part)
        if not match:
            raise ValueError(f"range {part.strip()!r} is not a unicode-range such as U+0590-05FF")
        start = int(match.group(1), 16)
        end = int(match.group(2), 16) if match.group(2) else start
        if end < start:
            raise ValueError(f"range {part.strip()!r} ends before it starts")
        out.append((start, end))
    return tuple(sorted(out))


def _unicode_range(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError("expected a unicode-range such as U+0590-05FF, but found " + _kind(value))
    parse_ranges(value)
    return value


class ScriptFontToken(_Group):
    """One font of a script: a file in the theme (`file`) or an installed one (`system`,
    under /usr/share/fonts; fonts.py checks where it is). `{region}` in the family is
    replaced by each of the script's regions."""

    family: FontName
    weight: Annotated[int, Field(ge=100, le=1000)] = 400
    style: Literal["normal", "italic"] = "normal"
    file: Annotated[str, Field(min_length=1)] | None = None
    system: Annotated[str, Field(min_length=1)] | None = None
    face: FontName | None = None  # the face's family name inside a collection (.ttc)
    package: str | None = None  # the Debian package that installs a system font

    @model_validator(mode="after")
    def _one_source(self) -> ScriptFontToken:
        if (self.file is None) == (self.system is None):
            raise ValueError("a font needs `file` (in the theme) or `system` (installed), one of them")
        return self


class ScriptToken(_Group):
    """One script of the font chain (fonts.py): the characters it covers, its families, fonts."""

    range: Annotated[str, BeforeValidator(_unicode_range)]
    body: FontName
    heading: FontName
    files: list[ScriptFontToken] = []
    rtl: Flag = False
    docx_slot: Literal["ascii", "cs", "eastAsia"] = "ascii"
    regions: list[Annotated[str, Field(min_length=1)]] = []
    default_region: str | None = None


class Sizes(_Group):
    body: Float
    small: Float
    footnote: Float
    title: Float
    subtitle: Float
    h1: Float
    h2: Float
    h3: Float
    h4: Float
    table: Float | None = None  # DOCX table text; by default 0.92 of body, as the print CSS


class Spacing(_Group):
    line_height: Float
    paragraph_after: Float


class Page(_Group):
    size: Annotated[str, BeforeValidator(_page_size)]
    margin_top: Number
    margin_bottom: Number
    margin_inner: Number
    margin_outer: Number


class Logo(_Group):
    width: Float
    position: Literal["left", "right"]
    gap: Number  # between the logo and the title on the cover


class HeadingSpace(_Group):
    before: Number
    after: Number


class Headings(_Group):
    """Space above and below each heading level; `h1.before` is above a section heading
    (h1.section), the first heading of a page or box has none."""

    h1: HeadingSpace
    h2: HeadingSpace
    h3: HeadingSpace
    h4: HeadingSpace

    def level(self, level: int) -> HeadingSpace:
        return getattr(self, f"h{level}")


class Boxes(_Group):
    """Padding inside callouts and case cards."""

    padding_top: Number
    padding_bottom: Number
    padding_side: Number


class Tables(_Group):
    """Padding inside table cells."""

    cell_padding_vertical: Number
    cell_padding_side: Number


# The colour tokens a class style may name instead of a colour (`border: brand`).
COLOR_TOKENS = ("brand", "accent", "text", "muted", "box", "rule")


def _style_color(value: Any) -> Any:
    """A class style's colour: a colour (as `colors.*`) or the name of a colour token."""
    if isinstance(value, str) and value in COLOR_TOKENS:
        return value
    return _color(value)


StyleColor = Annotated[str, BeforeValidator(_style_color)]
_CLASS_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


class ClassStyle(_Group):
    """The look of a custom class (`styles.NAME`), for both formats: the print CSS's rule
    `.NAME` and the DOCX's named Word style (classstyles.py)."""

    background: StyleColor | None = None
    color: StyleColor | None = None  # the text's
    border: StyleColor | None = None  # a line around the box
    border_width: Annotated[int | float, BeforeValidator(_number), Field(ge=0, le=6)] = 1  # points
    font: FontName | None = None  # body, heading or a family of fonts.files
    size: Float | None = None  # points
    bold: Flag | None = None
    italic: Flag | None = None
    columns: Annotated[int, Field(ge=1, le=4)] | None = None  # text in 2-4 columns


def _class_names(value: Any) -> Any:
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str) or not _CLASS_NAME.match(key):
                raise ValueError(
                    f"{key!r} is not a class name: lower-case letters, digits and hyphens, "
                    "starting with a letter"
                )
    return value


class Tokens(_Group):
    """Every token of a theme, after the default theme's tokens filled what it leaves out."""

    name: Annotated[str, Field(min_length=1)] | None = None
    colors: Colors
    fonts: Fonts
    sizes: Sizes
    spacing: Spacing
    page: Page
    logo: Logo
    headings: Headings
    boxes: Boxes
    tables: Tables
    # The script font chain; `name: ~` in a project's theme takes a default script out.
    scripts: dict[str, ScriptToken | None] = {}
    # Custom classes templates may use (docs/themes.md, "Styles for your own classes").
    styles: Annotated[dict[str, ClassStyle], BeforeValidator(_class_names)] = {}
    # CSS files of the theme appended after the print CSS (PDF and HTML only).
    css: list[Annotated[str, Field(min_length=1)]] = []


# Hints for mistakes in each group, by the first keys of the token's path.
_HINTS: dict[tuple[str, ...], str] = {
    ("colors",): 'write a colour as "#RRGGBB" in quotes, e.g. brand: "#1d4e89", or a CSS colour name '
    "such as teal",
    ("styles",): 'each class: {background: "#1d4e89", color: white, border: brand, font: heading, '
    'size: 11, bold: true, columns: 2}; a colour is "#RRGGBB", a CSS colour name or a colour token '
    f"({', '.join(COLOR_TOKENS)})",
    ("css",): "a list of CSS files in the theme's folder, e.g. css: [extra.css]",
    ("sizes",): "sizes are points: write a number such as 10.5",
    ("spacing", "line_height"): "a multiple of the font size, such as 1.45",
    ("spacing",): "points: write a number such as 6",
    ("page", "size"): f"one of {', '.join(n.upper() if n[0] == 'a' else n for n in PAGE_SIZES)}, "
    "optionally followed by landscape",
    ("page",): "page margins are millimetres: write a number such as 22",
    ("logo", "position"): "",  # the message lists the choices
    ("logo",): "millimetres: write a number such as 38",
    ("headings",): "points above and below the heading: write a number such as 14",
    ("boxes",): "millimetres: write a number such as 4",
    ("tables",): "points: write a number such as 3",
    ("fonts", "embed"): "true (the DOCX carries the fonts it uses) or false (it only names them)",
    ("scripts",): "each script: {range: U+0590-05FF, body: ..., heading: ..., files: [...]}, "
    "or ~ to remove one (see docs/themes.md)",
    ("fonts", "files"): "each entry: {family: Noto Sans, weight: 400, style: normal, file: fonts/X.ttf}",
}

# Hints for a class's values under `styles` (its name varies), by the value's key.
_STYLE_COLOUR = (
    '"#RRGGBB" in quotes, a CSS colour name such as teal, or a colour token (' + ", ".join(COLOR_TOKENS) + ")"
)
_STYLE_HINTS = {
    "background": _STYLE_COLOUR,
    "color": _STYLE_COLOUR,
    "border": _STYLE_COLOUR,
    "border_width": "points: write a number such as 1",
    "font": "body, heading or a family of fonts.files",
    "size": "points: write a number such as 11",
    "bold": "true or false",
    "italic": "true or false",
    "columns": "1 to 4 columns: write a number such as 2",
}

EMPTY_COLOR_HINT = (
    "an unquoted # starts a YAML comment, so the value is empty: put the colour in quotes, "
    'e.g. brand: "#1d4e89"'
)


def hint_for(path: tuple[str | int, ...], empty: bool) -> str | None:
    """The hint for a mistake in the token at `path` (empty: written with no value)."""
    if empty and (path[:1] == ("colors",) or (path[:1] == ("styles",) and len(path) == 3)):
        return EMPTY_COLOR_HINT
    if path[:1] == ("styles",) and len(path) >= 3 and path[2] in _STYLE_HINTS:
        return _STYLE_HINTS[str(path[2])]
    for length in (2, 1):
        hint = _HINTS.get(tuple(path[:length]))  # type: ignore[arg-type]
        if hint is not None:
            return hint or None
    return None
