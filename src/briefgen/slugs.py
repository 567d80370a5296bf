"""Ids as authors type them -> what is wrong with one, and the slug it should be.

An id is a lowercase slug (`^[a-z0-9]+(-[a-z0-9]+)*$`). Authors documenting people in
Belarus, Azerbaijan or Georgia type ids from names (`ales-bialiatskі`, `maryja-kalesnikaŭa`),
so the message names the first character that is not allowed, and the hint suggests the
id transliterated into the slug alphabet, never another invalid id.
"""

from __future__ import annotations

import re
import unicodedata

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Letters that NFKD does not reduce to ASCII: Cyrillic (Russian, Belarusian, Ukrainian,
# Kazakh), Azerbaijani/Turkish dotless i and schwa, Greek, Georgian and a few Latin ones.
_TRANSLITERATION = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "yo", "є": "ye",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "yu", "я": "ya", "ә": "a", "ғ": "g", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
    "һ": "h", "ı": "i", "ə": "a", "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "đ": "d", "ł": "l",
    "þ": "th", "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
    "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r",
    "σ": "s", "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
    "ა": "a", "ბ": "b", "გ": "g", "დ": "d", "ე": "e", "ვ": "v", "ზ": "z", "თ": "t", "ი": "i",
    "კ": "k", "ლ": "l", "მ": "m", "ნ": "n", "ო": "o", "პ": "p", "ჟ": "zh", "რ": "r", "ს": "s",
    "ტ": "t", "უ": "u", "ფ": "p", "ქ": "k", "ღ": "gh", "ყ": "q", "შ": "sh", "ჩ": "ch", "ც": "ts",
    "ძ": "dz", "წ": "ts", "ჭ": "ch", "ხ": "kh", "ჯ": "j", "ჰ": "h",
}  # fmt: skip


def first_bad_character(value: str) -> int | None:
    """The index of the first character that makes `value` not a slug, or None."""
    if SLUG_RE.match(value):
        return None
    for index, char in enumerate(value):
        if not ("a" <= char <= "z" or "0" <= char <= "9" or char == "-"):
            return index
    # Only allowed characters, so the hyphens are misplaced (leading, trailing or doubled).
    match = re.search(r"^-|--|-$", value)
    return match.start() if match else 0


def describe_character(char: str) -> str:
    """`'і' (U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I)` and the like."""
    if char == " ":
        return "a space"
    name = unicodedata.name(char, "")
    shown = repr(char) if char.isprintable() else f"U+{ord(char):04X}"
    return f"{shown} (U+{ord(char):04X}{' ' + name if name else ''})"


def suggest_slug(value: str) -> str | None:
    """`value` transliterated into a valid slug, or None if nothing of it is left."""
    out = []
    for char in value.lower():
        if char in _TRANSLITERATION:
            out.append(_TRANSLITERATION[char])
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        out.append("".join(c for c in decomposed if c.isascii()))
    slug = re.sub(r"[^a-z0-9]+", "-", "".join(out)).strip("-")[:64].strip("-")
    return slug if slug and SLUG_RE.match(slug) else None


def slug_problem(value: str) -> str | None:
    """Why `value` is not a valid id (None if it is), naming the character at fault."""
    if len(value) > 64:
        return f"an id may have at most 64 characters, this one has {len(value)}"
    index = first_bad_character(value)
    if index is None:
        return None
    base = "an id must be a lowercase slug: letters a-z, digits and single hyphens"
    if not value:
        return f"{base}; it cannot be empty"
    char = value[index]
    if char == "-":
        return f"{base}; it may not start or end with a hyphen or have two in a row"
    if "A" <= char <= "Z":
        return f"{base}; capital letters such as {char!r} are not allowed"
    return f"{base}; {describe_character(char)} is not allowed"
