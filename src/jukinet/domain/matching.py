"""Folding names, furigana and addresses into keys for exact-match search.

A register stores a name exactly as written (see ``text.py``); a search must still find 髙橋
when an agency keys 高橋, or ﾀｶﾊｼ when it keys たかはし. Folding turns both sides into the same
key, and a match compares keys — never a prefix or a wildcard. What folds:

* width and compatibility forms (NFKC): full-width Latin and digits, half-width katakana;
* spaces of every kind, which separate name parts inconsistently between systems;
* ideographic variation selectors (U+FE00–FE0F, U+E0100–E01EF), which choose a glyph, not a
  different name;
* hiragana to katakana, and the small kana to their full size in furigana (ァ→ア), since
  furigana written by hand disagree on both;
* the variant kanji of ``VARIANT_KANJI``: a documented table of the registered variants most
  often met in names (髙→高, 﨑→崎, 𠮷→吉, 邊/邉→辺, 齋/齊→斎 …). It is deliberately short: each
  entry makes two written names one search key, which is what a person expects of these
  variants, and would be wrong for kanji that are different characters.

Addresses fold the same way, plus the forms of numbering: kanji numerals before 丁目 become
digits, and 番地/番/号 and the dashes that stand for them become one separator.
"""

from __future__ import annotations

import re
import unicodedata

# Variant → the form searched with. Sources: the variants named in jukinet's product rules
# (髙/高, 﨑/崎, 𠮷/吉, 邊/邉/辺, 齋/齊/斎) and common old forms (舊字) seen in family names.
VARIANT_KANJI: dict[str, str] = {
    "髙": "高",
    "﨑": "崎",
    "嵜": "崎",
    "𠮷": "吉",
    "邊": "辺",
    "邉": "辺",
    "齋": "斎",
    "齊": "斎",
    "澤": "沢",
    "濱": "浜",
    "濵": "浜",
    "廣": "広",
    "國": "国",
    "櫻": "桜",
    "德": "徳",
    "惠": "恵",
    "眞": "真",
    "實": "実",
    "壽": "寿",
    "龍": "竜",
    "瀨": "瀬",
    "槇": "槙",
    "嶋": "島",
    "嶌": "島",
    "峯": "峰",
    "冨": "富",
    "藪": "薮",
}

_FOLD_VARIANTS = str.maketrans(VARIANT_KANJI)
_SELECTORS_AND_SPACES = re.compile(r"[\ufe00-\ufe0f\U000e0100-\U000e01ef\s\u3000]+")
_SMALL_KANA = str.maketrans("ァィゥェォッャュョヮヵヶ", "アイウエオツヤユヨワカケ")
_HIRAGANA = re.compile("[\u3041-\u3096]")
_DASHES = re.compile("[‐‑‒–—―−－ｰー-]")
_KANJI_DIGITS = {
    "〇": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_KANJI_NUMBER = re.compile("([〇一二三四五六七八九十]+)丁目")
_NUMBER_SUFFIXES = re.compile(r"(\d+)(?:番地の?|番の?|号|の)(?=\d|$)")


def _common(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    # NFKC turns some compatibility characters into a space and a combining mark (´ → " ́");
    # once the space is gone the mark composes with the letter before it, so normalise again.
    return unicodedata.normalize("NFC", _SELECTORS_AND_SPACES.sub("", text))


def name_key(name: str) -> str:
    """The search key of a name written in kanji (or Latin letters, upper-cased)."""
    return _common(name).translate(_FOLD_VARIANTS).upper()


def kana_key(kana: str) -> str:
    """The search key of furigana: full-size katakana without spaces."""
    text = _common(kana)
    text = _HIRAGANA.sub(lambda m: chr(ord(m.group()) + 0x60), text)
    return text.translate(_SMALL_KANA)


def _kanji_number(numeral: str) -> int:
    """一 … 九十九 written in kanji numerals (the range 丁目 numbers use)."""
    if "十" not in numeral:
        return int("".join(str(_KANJI_DIGITS[c]) for c in numeral))
    tens, _, ones = numeral.partition("十")
    return (_KANJI_DIGITS[tens] if tens else 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)


def _chome(match: re.Match[str]) -> str:
    """``三丁目`` → ``3丁目``; a numeral no one writes (十十丁目) is left as it was."""
    try:
        return f"{_kanji_number(match.group(1))}丁目"
    except (KeyError, ValueError):
        return match.group(0)


def address_key(address: str) -> str:
    """The search key of an address: numbering written one way, separators unified."""
    text = _common(address).translate(_FOLD_VARIANTS)
    text = _KANJI_NUMBER.sub(_chome, text)
    text = _DASHES.sub("-", text)
    text = text.replace("丁目", "-")
    text = _NUMBER_SUFFIXES.sub(r"\1-", text)
    return text.rstrip("-")
