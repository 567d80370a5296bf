"""Collation: texts and a language -> the order a reader of that language expects.

Python sorts by code point: "Çelik" after "Zeynalov", "Əliyev" after every Latin name, "Ёлкин"
after "Яковлев". Where a template sorts names (Jinja's `sort` filter, which briefgen replaces
with this one), each language's alphabet decides instead, without ICU:

- primary: letters by their place in the language's alphabet (Azerbaijani c < ç < d,
  e < ə < f, ğ after g, x after h, ı before i, q after k; Turkish ı < i; Russian й its own
  letter, ё with е; Persian پ after ب, گ after ک; Spanish ñ after n); any other letter by
  its base letter (é as e), so accents never scatter names; spaces and punctuation before
  letters, digits before both;
- secondary: accents (resume < résumé), where the base letters tie;
- tertiary: case (lower before upper), so the order is total and stable.

Letters of other scripts keep their Unicode block order between scripts (Latin, Greek,
Cyrillic, Armenian, Hebrew, Arabic, Devanagari, Georgian, CJK), which is also what ICU's
root collation does.
"""

from __future__ import annotations

import unicodedata
from functools import cache

ALPHABETS = {
    "az": "abcçdeəfgğhxıijkqlmnoöprsştuüvyz",
    "tr": "abcçdefgğhıijklmnoöprsştuüvyz",
    "ru": "абвгдежзийклмнопрстуфхцчшщъыьэюя",
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "es": "abcdefghijklmnñopqrstuvwxyz",
    "fa": "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی",
    "ar": "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
}
# Letters written two ways: the Arabic and Persian forms of kaf and yeh, alef with madda.
_SAME = {"fa": {"ك": "ک", "ي": "ی", "آ": "ا", "ى": "ی"}, "ar": {"آ": "ا", "أ": "ا", "إ": "ا", "ى": "ي"}}


def sort_key(text: str, language: str | None) -> tuple:
    """The key that sorts `text` as a reader of `language` expects (see the module)."""
    lang = (language or "").lower().split("-")[0]
    alphabet = _ranks(lang)
    same = _SAME.get(lang, {})
    primary, secondary, tertiary = [], [], []
    for char in unicodedata.normalize("NFC", text):
        lower = _lower(char, lang)
        lower = same.get(lower, lower)
        tertiary.append(0 if char == lower else 1)
        if lower in alphabet:
            primary.append(alphabet[lower])
            secondary.append(0)
            continue
        decomposed = unicodedata.normalize("NFD", lower)
        base = decomposed[0]
        accents = "".join(c for c in decomposed[1:] if unicodedata.combining(c))
        category = unicodedata.category(base)
        if category.startswith(("Z", "P", "S", "C")):
            primary.append((1, 0.0))  # spaces and punctuation: before every letter
        elif category == "Nd":
            primary.append((2, float(unicodedata.digit(base, 0))))
        else:
            primary.append(alphabet.get(base, (3, float(ord(base)))))
        secondary.append(sum(ord(c) for c in accents))
    return (tuple(primary), tuple(secondary), tuple(tertiary), text)


def sort_texts(values, language: str | None, key=None, reverse: bool = False) -> list:
    """`values` sorted in `language`'s collation; `key` picks the text of each value."""
    pick = key or (lambda v: v)
    return sorted(values, key=lambda v: sort_key(str(pick(v)), language), reverse=reverse)


@cache
def _ranks(lang: str) -> dict[str, tuple[int, float]]:
    """Each letter of the language's alphabet -> its primary weight, placed in its script's
    region of code points (at the alphabet's first letter) so scripts keep their order."""
    alphabet = ALPHABETS.get(lang, "")
    if not alphabet:
        return {}
    origin = float(ord(alphabet[0]))
    return {letter: (3, origin + index / 1000) for index, letter in enumerate(alphabet)}


def _lower(char: str, lang: str) -> str:
    if lang in ("az", "tr"):  # dotted and dotless i are two letters
        if char == "I":
            return "ı"
        if char == "İ":
            return "i"
    lowered = char.lower()
    return lowered if len(lowered) == 1 else char
