"""Fonts: a theme's script font chain -> @font-face rules, font stacks, glyph coverage, DOCX slots.

A theme names its main fonts (`fonts.body`, `fonts.heading`, `fonts.files`: Latin, Greek,
Cyrillic) and, in the `scripts` token group, one entry per further script: the characters it
covers (a CSS unicode-range), its body and heading families and their files. Together they are
the chain, in this order; every font in it is declared with `@font-face`, script fonts with
their unicode-range, so no character is left to whatever fontconfig happens to find.

A script entry's file is either a file in the theme folder (`file:`) or a face of a font
collection a Debian package installs under /usr/share/fonts (`system:` with `package:`):
the CJK fonts are one 20-27 MB collection per style whose first face is Japanese, so the
region's face (SC, TC, JP, KR) is picked by the text's language and cut out of the
collection (its tables copied, nothing recompiled) when a document needs it.

Everything that asks "can the theme print this?" comes here: `validate` (every text of the
content files, at its line and column), the build (the rendered HTML, before any layout),
the PDF writer (which fonts WeasyPrint really used) and the DOCX writer (the font slots of
a run in a given script).
"""

from __future__ import annotations

import bisect
import io
import re
import struct
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from .diagnostics import Diagnostic, error
from .theme import DEFAULT_THEME_DIR, SYSTEM_FONTS, Theme, ThemeError
from .tokens import ScriptFontToken, ScriptToken, parse_ranges

SYSTEM_PREFIX = "_system-fonts/"  # URL prefix of a system font face (see resources.py)
ROLES = ("body", "heading")
# Region of the Han script by language (BCP 47, lower case): Chinese in Simplified or
# Traditional characters, Japanese, Korean. Other languages take the theme's default.
_REGION_BY_LANGUAGE = {
    "zh": "SC",
    "zh-hans": "SC",
    "zh-cn": "SC",
    "zh-sg": "SC",
    "zh-hant": "TC",
    "zh-tw": "TC",
    "zh-hk": "TC",
    "zh-mo": "TC",
    "ja": "JP",
    "ko": "KR",
}


@dataclass(frozen=True)
class ChainFont:
    """One face of the chain: a file (or a face of a collection) declared under a family."""

    family: str
    weight: int
    style: str
    path: Path
    face: str | None = None  # the face's family name inside a collection (.ttc)
    ranges: tuple[tuple[int, int], ...] | None = None  # None: every character it has
    script: str | None = None
    package: str | None = None  # the Debian package that installs a system font
    region: str | None = None

    @property
    def unicode_range(self) -> str | None:
        if self.ranges is None:
            return None
        return ", ".join(f"U+{a:X}" if a == b else f"U+{a:X}-{b:X}" for a, b in self.ranges)

    @property
    def url_name(self) -> str:
        """The name of a system face in URLs: `_system-fonts/<file>/<face>`."""
        return f"{self.path.name}/{(self.face or self.family).replace(' ', '-')}"


@dataclass(frozen=True)
class Script:
    key: str
    ranges: tuple[tuple[int, int], ...]
    families: dict[str, str]  # role -> family, with "{region}" where regions differ
    regions: tuple[str, ...]  # e.g. ("SC", "TC", "JP", "KR"); () when no region applies
    default_region: str | None
    rtl: bool
    docx_slot: str  # the Word font slot its characters use: ascii (and hAnsi), cs or eastAsia
    fonts: tuple[ChainFont, ...]

    def family(self, role: str, region: str | None) -> str:
        return self.families[role].replace("{region}", region or self.default_region or "")

    def covers(self, code: int) -> bool:
        return _in_ranges(self.ranges, code)


@dataclass(eq=False)  # one per theme folder; compared and hashed as itself
class Chain:
    """The theme's fonts in order: the main ones, then each script's."""

    theme: Theme
    scripts: tuple[Script, ...]

    def region(self, language: str | None) -> dict[str, str | None]:
        """Each script's region for a text in `language` (the CJK face it is printed with)."""
        lang = (language or "").lower()
        found = _REGION_BY_LANGUAGE.get(lang) or _REGION_BY_LANGUAGE.get(lang.split("-")[0])
        return {s.key: (found if found in s.regions else s.default_region) for s in self.scripts}

    def families(self, role: str, language: str | None = None) -> list[str]:
        """The font-family stack of a role: main font, its fallbacks, then each script's."""
        main = self.theme.body_font if role == "body" else self.theme.heading_font
        fallback = self.theme.body_fallback if role == "body" else self.theme.heading_fallback
        regions = self.region(language)
        stack = [main, *fallback, *(s.family(role, regions[s.key]) for s in self.scripts)]
        return list(dict.fromkeys(stack))

    def stack(self, role: str, language: str | None = None) -> str:
        return ", ".join(f'"{f}"' for f in self.families(role, language))

    def declared_families(self) -> set[str]:
        """Every family any document of this theme may use (all regions)."""
        names = {f.family for f in self.theme.font_files}
        names.update(f.family for s in self.scripts for f in s.fonts)
        return names

    def declares_face(self, family: str, head: bytes) -> bool:
        """Whether a font WeasyPrint printed with, its family and its face's `head` table, is
        one of the theme's faces. A declared family is not enough: for a weight or style the
        theme lacks (Noto Sans bold italic), fontconfig takes the machine's own face of that
        family when it has one. The `head` table identifies the file: its checksum adjustment
        covers the whole file, and it survives as it was in the face a subset is cut from. A
        face cut out of a collection is judged by its family."""
        if family not in self.declared_families():
            return False
        return family in self._collection_families or head in self._file_heads

    @cached_property
    def _collection_families(self) -> set[str]:
        return {f.family for s in self.scripts for f in s.fonts if f.face is not None}

    @cached_property
    def _file_heads(self) -> set[bytes]:
        """The `head` table of each of the theme's font files, read once."""
        paths = [f.path for f in self.theme.font_files]
        paths += [f.path for s in self.scripts for f in s.fonts if f.face is None]
        heads = set()
        for path in dict.fromkeys(paths):
            try:
                heads.add(sfnt_table(Path(path).read_bytes(), b"head"))
            except (OSError, struct.error, KeyError):
                continue  # a missing or unreadable file is reported where the theme is checked
        return heads

    def faces(self, language: str | None = None, text: str | None = None) -> list[ChainFont]:
        """The faces a document in `language` declares: the main fonts, each script's fonts
        for its region, and collection faces only when `text` has a character they cover
        (a CJK face is 16-25 MB, cut out of its collection: not paid for by every brief)."""
        regions = self.region(language)
        out = [ChainFont(f.family, f.weight, f.style, f.path) for f in self.theme.font_files]
        for script in self.scripts:
            for font in script.fonts:
                if font.region is not None and font.region != regions[script.key]:
                    continue
                if font.face is not None and (text is None or not _has_any(text, script.ranges)):
                    continue
                out.append(font)
        return out

    def script_of(self, char: str) -> Script | None:
        code = ord(char)
        for script in self.scripts:
            if script.covers(code):
                return script
        return None

    # -- coverage

    def uncovered(self, text: str) -> Iterator[tuple[int, str]]:
        """(index, character) of each character of `text` that neither role's chain can draw."""
        cover = _coverage(self)
        fine = cover.fine
        for index, char in enumerate(text):
            code = ord(char)
            if code < 0x80 and char.isprintable():
                continue
            drawn = fine.get(code)
            if drawn is None:
                drawn = fine[code] = _invisible(char) or code in cover
            if not drawn:
                yield index, char


class FontReadError(ThemeError):
    """A font of the chain cannot be read (an installed collection that is missing or broken,
    a face it does not have): a message, placed by whoever reports it."""

    def __init__(self, message: str):
        Exception.__init__(self, message)
        self.diagnostics = [error("briefgen.yaml", 1, 1, message)]


def chain(theme: Theme) -> Chain:
    """The script font chain of a theme (read once per theme folder)."""
    if theme.folder not in _CHAINS:
        _CHAINS[theme.folder] = _chain(theme, theme.folder)
    return _CHAINS[theme.folder]


_CHAINS: dict[Path, Chain] = {}


def _chain(theme: Theme, folder: Path) -> Chain:
    """The typed `scripts` tokens (theme.py read, typed and checked them, with positions) ->
    the chain. A script the theme writes has its files in the theme's folder; one it keeps
    from the default theme, in the default theme's."""
    scripts = []
    for key, tokens in theme.tokens.scripts.items():
        if tokens is None:  # `georgian: ~` takes a script out of the chain
            continue
        base = folder if key in theme.own_scripts else DEFAULT_THEME_DIR.resolve()
        scripts.append(_script(key, tokens, base))
    return Chain(theme, tuple(scripts))


def _script(key: str, tokens: ScriptToken, base: Path) -> Script:
    ranges = parse_ranges(tokens.range)
    families = {role: getattr(tokens, role) for role in ROLES}
    regions = tuple(tokens.regions)
    default_region = tokens.default_region or (regions[0] if regions else None)
    fonts: list[ChainFont] = []
    for entry in tokens.files:
        fonts.extend(_font_entries(entry, base, ranges, key, regions))
    return Script(key, ranges, families, regions, default_region, tokens.rtl, tokens.docx_slot, tuple(fonts))


def _font_entries(entry: ScriptFontToken, base: Path, ranges, key, regions) -> Iterator[ChainFont]:
    for region in regions if "{region}" in entry.family else (None,):
        family = entry.family.replace("{region}", region or "")
        if entry.system is not None:
            face = (entry.face or entry.family).replace("{region}", region or "")
            path = Path(entry.system)
            yield ChainFont(family, entry.weight, entry.style, path, face, ranges, key, entry.package, region)
        else:
            path = (base / str(entry.file)).resolve()
            yield ChainFont(family, entry.weight, entry.style, path, None, ranges, key, None, region)


def _in_ranges(ranges, code: int) -> bool:
    index = bisect.bisect_right(ranges, (code, 0x10FFFF + 1)) - 1
    return index >= 0 and ranges[index][0] <= code <= ranges[index][1]


def _has_any(text: str, ranges) -> bool:
    # A regular expression's character class: the whole HTML of a brief with charts is some
    # hundreds of kilobytes, which a loop over its characters took a tenth of a second to read.
    return _ranges_pattern(tuple(ranges)).search(text) is not None


@cache
def _ranges_pattern(ranges: tuple[tuple[int, int], ...]) -> re.Pattern:
    # ASCII never needs a script's face (as before: only characters from U+0080 count).
    ranges = tuple((max(a, 0x80), b) for a, b in ranges if b >= 0x80)
    if not ranges:
        return re.compile(r"(?!)")  # matches nothing
    return re.compile("[" + "".join(f"{_escaped(a)}-{_escaped(b)}" for a, b in ranges) + "]")


def _escaped(code: int) -> str:
    return f"\\U{code:08x}"


def _invisible(char: str) -> bool:
    """Characters no font draws: controls, format characters (bidi marks and isolates, ZWJ,
    soft hyphen), separators (a missing space is set by its width) and variation selectors."""
    category = unicodedata.category(char)
    if category in ("Cc", "Cf", "Zs", "Zl", "Zp"):
        return True
    code = ord(char)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


# ---------------------------------------------------------------- character maps


class _Coverage:
    """Whether both roles' chains can draw a code point. The main fonts' maps are read at
    once; a script's only when a text has a character in its range, so a project without
    CJK text never reads the 20-27 MB collections."""

    def __init__(self, chain_: Chain):
        self.chain = chain_
        self.names: dict[str, set[str]] = {}
        self.main: dict[str, tuple[tuple[int, int], ...]] = {}
        for role in ROLES:
            names = set(chain_.families(role))
            for script in chain_.scripts:
                names.update(script.family(role, region) for region in script.regions)
            self.names[role] = names
            ranges = [
                r for f in chain_.theme.font_files if f.family in names for r in cmap_ranges(f.path, None)
            ]
            self.main[role] = _merge_ranges(ranges)
        self.by_script: dict[str, dict[str, tuple[tuple[int, int], ...]]] = {}
        # Code point -> needs no glyph or has one (Chain.uncovered): a project's texts repeat
        # the same few hundred letters, checked on every load (serve loads after each save).
        self.fine: dict[int, bool] = {}

    def __contains__(self, code: int) -> bool:
        scripts = [s for s in self.chain.scripts if s.covers(code)]
        for role in ROLES:
            if _in_ranges(self.main[role], code):
                continue
            if not any(_in_ranges(self._script(s)[role], code) for s in scripts):
                return False
        return True

    def _script(self, script: Script) -> dict[str, tuple[tuple[int, int], ...]]:
        if script.key not in self.by_script:
            self.by_script[script.key] = {
                role: _merge_ranges(
                    [
                        r
                        for font in script.fonts
                        if font.family in self.names[role] and font.path.exists()
                        for r in _clip(cmap_ranges(font.path, font.face), script.ranges)
                    ]
                )
                for role in ROLES
            }
        return self.by_script[script.key]


@cache
def _coverage(chain_: Chain) -> _Coverage:
    return _Coverage(chain_)


def _clip(ranges: Iterable[tuple[int, int]], limits) -> list[tuple[int, int]]:
    out = []
    for a, b in ranges:
        for lo, hi in limits:
            if a <= hi and lo <= b:
                out.append((max(a, lo), min(b, hi)))
    return out


def _merge_ranges(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    merged: list[list[int]] = []
    for a, b in sorted(ranges):
        if merged and a <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return tuple((a, b) for a, b in merged)


@cache
def cmap_ranges(path: Path, face: str | None) -> tuple[tuple[int, int], ...]:
    """The code points a font (or a collection's face) maps to a glyph, as ranges.

    Read straight from the cmap table's bytes: fontTools would build a dictionary of every
    mapping (45 000 for a CJK face, a tenth of a second each), and validate reads them all.
    """
    from . import sfnt

    try:
        # A plain font file's table straight from its directory (no fontTools to import).
        data = sfnt.table(path, "cmap") if face is None else None
        if not data:
            from fontTools.ttLib import TTFont

            font = TTFont(str(path), fontNumber=_face_index(path, face) if face else -1, lazy=True)
            data = font.reader["cmap"]
    except ThemeError:
        raise
    except Exception as exc:
        raise FontReadError(f"font {path.name}: cannot read its character map ({exc})") from None
    return _merge_ranges(_parse_cmap(data))


def sfnt_table(data: bytes, tag: bytes) -> bytes:
    """One table of a TrueType or OpenType file (not a collection); KeyError without it."""
    (count,) = struct.unpack_from(">H", data, 4)
    for i in range(count):
        found, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if found == tag:
            return data[offset : offset + length]
    raise KeyError(tag)


@cache
def _face_index(path: Path, face: str) -> int:
    """The index of the face named `face` (family, or typographic family) in a collection."""
    from fontTools.ttLib import TTCollection

    try:
        collection = TTCollection(str(path), lazy=True)
    except Exception as exc:
        raise FontReadError(f"font {path} cannot be read ({exc}); is its package installed?") from None
    for index, font in enumerate(collection.fonts):
        names = {font["name"].getDebugName(1), font["name"].getDebugName(16)}
        if face in names:
            return index
    raise FontReadError(f"font {path.name} has no face named {face!r}")


def _parse_cmap(data: bytes) -> list[tuple[int, int]]:
    _, count = struct.unpack_from(">HH", data, 0)
    tables = {}
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", data, 4 + 8 * i)
        tables[(platform, encoding)] = offset
    for key in ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0)):
        if key not in tables:
            continue
        offset = tables[key]
        fmt = struct.unpack_from(">H", data, offset)[0]
        if fmt == 12:
            groups = struct.unpack_from(">I", data, offset + 12)[0]
            body = data[offset + 16 : offset + 16 + 12 * groups]
            out: list[list[int]] = []
            for start, end, glyph in struct.iter_unpack(">III", body):
                start += glyph == 0  # a group starting at glyph 0 maps its first code to nothing
                if out and start == out[-1][1] + 1:
                    out[-1][1] = end  # consecutive codes, whatever their glyphs
                elif start <= end:
                    out.append([start, end])
            return [(a, b) for a, b in out]
        if fmt == 4:
            return _parse_format4(data, offset)
    return []


def _parse_format4(data: bytes, offset: int) -> list[tuple[int, int]]:
    segments = struct.unpack_from(">H", data, offset + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", data, offset + 14)
    starts = struct.unpack_from(f">{segments}H", data, offset + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", data, offset + 16 + 4 * segments)
    range_at = offset + 16 + 6 * segments
    range_offsets = struct.unpack_from(f">{segments}H", data, range_at)
    out = []
    for i in range(segments):
        start, end = starts[i], ends[i]
        if start == 0xFFFF:
            continue
        if range_offsets[i] == 0:
            out.extend((c, c) for c in range(start, end + 1) if (c + deltas[i]) & 0xFFFF)
            continue
        for c in range(start, end + 1):
            at = range_at + 2 * i + range_offsets[i] + 2 * (c - start)
            if at + 2 <= len(data) and struct.unpack_from(">H", data, at)[0]:
                out.append((c, c))
    return out


# ---------------------------------------------------------------- font bytes


def font_bytes(font: ChainFont) -> bytes:
    """The bytes of a chain font: the file, or a collection's face as a font of its own."""
    if font.face is None:
        return font.path.read_bytes()
    return _face_bytes(font.path, font.face)


@cache
def _face_bytes(path: Path, face: str) -> bytes:
    from fontTools.ttLib import TTFont

    try:
        source = TTFont(str(path), fontNumber=_face_index(path, face), lazy=True)
        out = io.BytesIO()
        # Lazily loaded tables are copied as they are: no table is decompiled or rebuilt, so
        # the face is the collection's own, byte for byte, and cutting it out takes a second.
        source.save(out, reorderTables=False)
    except ThemeError:
        raise
    except Exception as exc:
        raise FontReadError(f"font {path.name}: cannot take the face {face!r} out of it ({exc})") from None
    return out.getvalue()


def system_font(theme: Theme, name: str) -> ChainFont | None:
    """The system face a `_system-fonts/<name>` URL names, if the theme's chain declares it."""
    for script in chain(theme).scripts:
        for font in script.fonts:
            if (font.face is not None or font.path.is_relative_to(SYSTEM_FONTS)) and font.url_name == name:
                return font
    return None


def _missing_for(char: str, chain_: Chain) -> str:
    """The Debian packages of the system fonts that would cover `char` but are missing."""
    packages = {
        f"{font.path} (Debian package {font.package}; `make` installs it)"
        for script in chain_.scripts
        if script.covers(ord(char))
        for font in script.fonts
        if not font.path.exists()
    }
    return ", ".join(sorted(packages))


def missing_package_hint(theme: Theme) -> list[str]:
    """Messages for system fonts the chain declares but this machine lacks."""
    out = []
    for script in chain(theme).scripts:
        for font in script.fonts:
            if font.path.is_relative_to(SYSTEM_FONTS) and not font.path.is_file():
                package = f" (Debian package {font.package})" if font.package else ""
                out.append(f"{font.family}: {font.path} is not installed{package}")
    return list(dict.fromkeys(out))


# ---------------------------------------------------------------- reports


def describe(char: str) -> str:
    """'X' (U+XXXX), as the messages name a character."""
    shown = char if char.isprintable() and unicodedata.category(char) not in ("Co", "Cn") else "\ufffd"
    return f"'{shown}' (U+{ord(char):04X})"


def uncovered_message(char: str, chain_: Chain | None = None) -> tuple[str, str]:
    """(message, hint) for a character no font of the chain can draw."""
    code = ord(char)
    category = unicodedata.category(char)
    if category == "Co":
        hint = "a private-use character has no agreed shape; write the character it stands for"
    elif category == "So" and (0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF):
        hint = "emoji are not in the theme's fonts; write the word, or add an emoji font under `scripts`"
    elif chain_ is not None and (missing := _missing_for(char, chain_)):
        hint = f"its font is not installed: {missing}"
    else:
        name = unicodedata.name(char, "")
        hint = (
            f"{name.title() if name else 'this character'} is in none of the theme's fonts; "
            "add a font for its script under `scripts` in the theme (docs/themes.md)"
        )
    return f"{describe(char)} cannot be printed with the theme's fonts", hint


def check_yaml_file(yaml_file, chain_: Chain, skip_keys: frozenset[str] = frozenset()) -> list[Diagnostic]:
    """Every character of the file's texts that the chain cannot draw, at its line and column."""
    out: list[Diagnostic] = []
    if yaml_file.root is None:
        return out
    for node in _scalars(yaml_file.root, skip_keys):
        value = node.value or ""
        if value.isascii():
            continue
        seen: set[str] = set()
        for _, char in chain_.uncovered(value):
            if char in seen:
                continue
            seen.add(char)
            line, column = node.line, node.column
            at = yaml_file.text.find(char, node.start, max(node.end, node.start + 1))
            if at >= 0:  # written as itself (not as an escape such as "\U0001F600")
                line, column = yaml_file.position(at)
            message, hint = uncovered_message(char, chain_)
            out.append(error(yaml_file.path, line, column, message, hint))
    return out


def _scalars(node, skip_keys) -> Iterator:
    if node.kind == "scalar":
        yield node
    elif node.kind == "seq":
        for item in node.items:
            yield from _scalars(item, skip_keys)
    elif node.kind == "map":
        for key, value in node.pairs:
            if key.value not in skip_keys:
                yield from _scalars(value, skip_keys)


# ---------------------------------------------------------------- CSS


class ThemeForLanguage:
    """The theme's tokens as the print CSS sees them (`t`), with the font stacks of the whole
    chain for one language: `t.font_stack("body")` names every script's family, the CJK ones
    in the language's region."""

    def __init__(self, theme: Theme, language: str | None):
        self.theme_ = theme
        self.language = language

    def __getattr__(self, name: str):
        return getattr(self.theme_, name)

    def font_stack(self, role: str) -> str:
        return chain(self.theme_).stack(role, self.language)


def font_faces(theme: Theme, faces: Iterable[ChainFont], url_of) -> list[dict]:
    """@font-face descriptors for the print CSS: family, weight, style, url, unicode_range.

    `url_of(theme, path)` gives a theme file's document URL; a system face gets its
    `_system-fonts/` URL, which the resource sandbox serves (resources.py).
    """
    out = []
    for font in faces:
        if font.path.is_relative_to(SYSTEM_FONTS) and not font.path.is_relative_to(theme.folder):
            url = SYSTEM_PREFIX + font.url_name
        else:
            url = url_of(theme, font.path)
        out.append(
            {
                "family": font.family,
                "weight": font.weight,
                "style": font.style,
                "url": url,
                "unicode_range": font.unicode_range,
            }
        )
    return out


def late_font_faces_css(theme: Theme, language: str | None, text: str) -> str:
    """@font-face rules for the collection faces (CJK) a document's text needs, in its region.

    WeasyPrint loads every declared face when it reads a stylesheet, so these are declared
    only for a document that has a character they cover."""
    rules = []
    for face in font_faces(theme, _late_faces(theme, language, text), lambda *_: ""):
        rules.append(
            f'@font-face {{ font-family: "{face["family"]}"; src: url("{face["url"]}"); '
            f"font-weight: {face['weight']}; font-style: {face['style']}; "
            f"unicode-range: {face['unicode_range']}; }}"
        )
    return "\n".join(rules)


def _late_faces(theme: Theme, language: str | None, text: str) -> list[ChainFont]:
    everything = chain(theme).faces(language, text)
    eager = {(f.family, f.weight, f.style, f.path) for f in chain(theme).faces(language)}
    return [f for f in everything if (f.family, f.weight, f.style, f.path) not in eager]


# ---------------------------------------------------------------- DOCX


def script_runs(text: str, chain_: Chain) -> list[tuple[str, Script | None]]:
    """`text` cut where its script changes: (piece, script of the chain or None for the main
    fonts). Spaces, digits and punctuation between two pieces of one script stay in it; at a
    change of script they go with the main fonts, so a run's direction is its script's."""
    pieces: list[tuple[str, Script | None]] = []
    current: Script | None = None
    start = 0
    pending = None  # start of neutral characters after a scripted piece
    for index, char in enumerate(text):
        script = chain_.script_of(char) if ord(char) >= 0x530 else None
        neutral = script is None and not (char.isalpha() or unicodedata.category(char).startswith("M"))
        if neutral and current is not None:
            if pending is None:
                pending = index
            continue
        if script is current:
            pending = None
            continue
        cut = pending if pending is not None and current is not None else index
        if cut > start:
            pieces.append((text[start:cut], current))
        if cut < index:
            pieces.append((text[cut:index], None))
        start, current, pending = index, script, None
    if pending is not None and current is not None:
        pieces.append((text[start:pending], current))
        pieces.append((text[pending:], None))
    elif start < len(text):
        pieces.append((text[start:], current))
    return [(piece, script) for piece, script in pieces if piece]


def docx_run_fonts(script: Script, role: str, language: str | None, chain_: Chain) -> tuple[str, dict]:
    """(family, rPr properties) of text in `script`: the family in the Word slot its
    characters use (Georgian and Armenian: ascii/hAnsi; Arabic, Hebrew, Devanagari: cs; CJK:
    eastAsia with a hint, so Word does not take shared punctuation for Latin), and right to
    left. The DOCX writer makes a character style of them ("Noto Naskh Arabic Text")."""
    family = script.family(role, chain_.region(language)[script.key])
    if script.docx_slot == "eastAsia":
        fonts = {"eastAsia": family, "hint": "eastAsia"}
    elif script.docx_slot == "cs":
        fonts = {"cs": family, "hint": "cs"}
    else:
        fonts = {"ascii": family, "hAnsi": family}
    return family, {"rFonts": fonts, "rtl": script.rtl or None, "cs": script.docx_slot == "cs" or None}


# ---------------------------------------------------------------- the project's texts

# Values that name files or ids rather than text a reader sees.
NOT_SHOWN = frozenset({"id", "photo", "logo", "template", "theme", "file", "email", "phone", "url"})


def check_project_texts(
    root: Path,
    theme_name: str | None,
    files: Iterable,
    theme_at: tuple[int, int] = (1, 1),
    known: dict | None = None,
) -> list[Diagnostic]:
    """Each character of the project's YAML texts (content and briefgen.yaml) that the
    theme's chain cannot draw, at its file, line and column; or the theme's own problem (a
    `scripts` entry without a range, a font file that is not there), as the build says it.

    `known`: what the last call with the same dict found, kept for each file object and
    chain object (a load reuses the objects of the files a save left alone, load.py, and a
    chain is made again when a theme changes): those are not checked again. Replaced by
    what this call found."""
    from .theme import load_theme, resolve_theme

    try:
        chain_ = chain(load_theme(resolve_theme(theme_name or "default", root)))
    except FontReadError as exc:
        return [error("briefgen.yaml", *theme_at, str(exc))]  # at `theme:` in briefgen.yaml
    except ThemeError as exc:
        return exc.diagnostics  # a mistake in theme.yaml, at its line
    out: list[Diagnostic] = []
    found: dict[tuple[int, int], tuple] = {}
    for yaml_file in files:
        key = (id(yaml_file), id(chain_))
        # The objects themselves are kept with what was found: their ids name no others.
        kept = known.get(key) if known is not None else None
        if kept is None:
            kept = (yaml_file, chain_, check_yaml_file(yaml_file, chain_, NOT_SHOWN))
        found[key] = kept
        out.extend(kept[2])
    if known is not None:
        known.clear()
        known.update(found)
    return out


class UncoveredText(Exception):
    """A rendered document has characters the theme's fonts cannot print."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = diagnostics
        super().__init__("\n".join(str(d) for d in diagnostics))


def check_rendered(html: str, theme: Theme, project_root: Path, template: str) -> list[Diagnostic]:
    """Characters of a rendered document's text the chain cannot draw that came from a
    template or a label rather than the content (which `validate` has checked): at the first
    place a project template or catalog has the character, else at the document's template."""
    chain_ = chain(theme)
    # Each character once, in order of first appearance: the check is per character, and a
    # long document repeats the same few hundred of them (a tenth of its DOCX's writing time).
    text = "".join(dict.fromkeys(_visible_text(html)))
    found = dict.fromkeys(char for _, char in chain_.uncovered(text))
    out = []
    for char in found:
        path, line, column = _find_in_project(project_root, char) or (f"templates/{template}", 0, 0)
        message, hint = uncovered_message(char, chain_)
        out.append(error(path, line, column, message, hint))
    return out


_TAGS = re.compile(r"<head\b.*?</head>|<style\b.*?</style>|<[^>]*>", re.S | re.I)


def _visible_text(html: str) -> str:
    import html as html_module

    return html_module.unescape(_TAGS.sub(" ", html))


def _find_in_project(root: Path, char: str) -> tuple[str, int, int] | None:
    for folder, pattern in (("templates", "*.j2"), ("locale", "*.po")):
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob(pattern)):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            at = text.find(char)
            if at >= 0:
                line = text.count("\n", 0, at) + 1
                column = at - (text.rfind("\n", 0, at) + 1) + 1
                return path.relative_to(root).as_posix(), line, column
    return None
