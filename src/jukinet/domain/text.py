"""Rules for the text a clerk keys in: names, furigana and addresses.

Names are stored exactly as written, because a 住民票 shows the glyphs of the 戸籍: variant
kanji (髙, 﨑, 𠮷) and ideographic variation sequences (a kanji followed by a selector
U+E0100–U+E01EF) pass through untouched. We only refuse what can never be part of a name —
control characters, unpaired surrogates, private-use code points — and trim surrounding
spaces (ASCII and the full-width U+3000). Folding variants for matching is a search concern,
not a storage one.

Furigana is accepted in hiragana, katakana or half-width katakana and stored as full-width
katakana, the form the register prints.
"""

from __future__ import annotations

import re
import unicodedata

from jukinet.domain.errors import InvalidValue

_SPACES = " \u3000"
_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def _is_variation_selector(char: str) -> bool:
    code = ord(char)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF


# Every space separator (Zs) other than U+0020: allowed in text, though not "printable".
_SPACES_AS_ASCII = dict.fromkeys(
    [0x00A0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000], " "
)
_VARIATION_SELECTORS = re.compile("[\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def _refuse_unprintable(field: str, text: str) -> None:
    for position, char in enumerate(text, start=1):
        # Selectors are marks (Mn) that choose a registered variant glyph: they belong to names.
        if _is_variation_selector(char):
            continue
        if unicodedata.category(char) in _FORBIDDEN_CATEGORIES:
            raise InvalidValue(
                field, f"contains a control or unassigned character U+{ord(char):04X} at {position}"
            )


def clean_text(field: str, value: object, *, max_length: int, required: bool = True) -> str:
    """Trim ``value`` and check it is printable text of at most ``max_length`` characters.

    Length is counted in user-perceived characters: a variation selector does not count.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidValue(field, f"expected text, got {type(value).__name__}")
    text = value.strip(_SPACES + "\t\r\n")
    if not text:
        if required:
            raise InvalidValue(field, "must not be empty or only spaces")
        return ""
    # Fast path: str.isprintable() is False exactly for the forbidden categories and for
    # spaces other than U+0020, which are allowed here (U+3000 separates name parts).
    if not text.translate(_SPACES_AS_ASCII).isprintable():
        _refuse_unprintable(field, text)
    visible = len(text) - len(_VARIATION_SELECTORS.findall(text))
    if visible == 0:
        raise InvalidValue(field, "has no visible character, only variation selectors")
    if visible > max_length:
        raise InvalidValue(field, f"is {visible} characters long; the limit is {max_length}")
    return text


_HIRAGANA_START, _HIRAGANA_END = 0x3041, 0x3096
_KATAKANA_OFFSET = 0x60
_KANA_PUNCTUATION = set("ー・ヽヾ") | set(_SPACES)


def to_katakana(field: str, value: object, *, max_length: int, required: bool = False) -> str:
    """Return furigana as full-width katakana; refuse anything that is not kana."""
    # NFKC turns half-width katakana (ｶﾞ) into full-width (ガ) and joins sound marks; the
    # length limit applies to the converted text.
    raw = clean_text(field, value, max_length=max_length * 2, required=required)
    text = unicodedata.normalize("NFKC", raw).replace(" ", "\u3000")
    if len(text) > max_length:
        raise InvalidValue(field, f"is {len(text)} characters long; the limit is {max_length}")
    converted = "".join(
        chr(ord(c) + _KATAKANA_OFFSET) if _HIRAGANA_START <= ord(c) <= _HIRAGANA_END else c
        for c in text.replace("ゝ", "ヽ").replace("ゞ", "ヾ")
    )
    for char in converted:
        if not ("\u30a1" <= char <= "\u30fa" or char in _KANA_PUNCTUATION):
            raise InvalidValue(field, f"furigana must be kana only, found {char!r}")
    return converted
