"""Two things ReportLab's TrueType support gets wrong for Japanese names, mended here.

Variation sequences. Registers write many MJ characters as a kanji followed by a variation
selector (U+E0100–U+E01EF, an IVS). ReportLab reads only a font's plain Unicode map, so it
would print the kanji followed by a missing-glyph box. ``VariantGlyphs`` reads the font's
variation table (cmap format 14) and stands a private code point in for each sequence: it
draws the variant glyph when the font has one, the plain kanji otherwise.

The text layer. ReportLab writes each character of the text layer (the ToUnicode map that
copying, searching and screen readers use) as four hex digits, which garbles characters beyond
the Basic Multilingual Plane such as 𠮷 (U+20BB7). ``mend_text_layer`` makes it write UTF-16,
and map the private code points back to the sequences they stand for, so the text read out of
a PDF is the text that was set.
"""

from __future__ import annotations

import re
import struct
import threading
from collections.abc import Iterator, Sequence
from typing import Any

from reportlab.pdfbase import ttfonts

_SEQUENCE = re.compile(
    "[^\ufe00-\ufe0f\U000e0100-\U000e01ef][\ufe00-\ufe0f\U000e0100-\U000e01ef]", re.DOTALL
)
# Supplementary Private Use Area-A: far from any code point a Japanese font maps itself.
_FIRST_PRIVATE = 0xF0000
_stand_ins: dict[int, str] = {}  # private code point → the sequence it stands for, all fonts
_lock = threading.Lock()


class VariantGlyphs:
    """The variation sequences one registered ``TTFont`` can draw, and their stand-ins."""

    def __init__(self, font: Any) -> None:
        self._face = font.face
        self._variants = dict(_variation_table(self._face.get_table("cmap")))
        self._replacements: dict[str, str] = {}

    def substitute(self, text: str) -> str:
        """``text`` with each variation sequence replaced by a character the font draws."""
        return _SEQUENCE.sub(lambda match: self._replacement(match.group()), text)

    def _replacement(self, sequence: str) -> str:
        with _lock:
            if sequence not in self._replacements:
                self._replacements[sequence] = self._stand_in(sequence)
            return self._replacements[sequence]

    def _stand_in(self, sequence: str) -> str:
        base, selector = (ord(character) for character in sequence)
        face = self._face
        glyph = self._variants.get((base, selector), face.charToGlyph.get(base))
        if glyph is None:
            return sequence[0]  # the font lacks the kanji itself: leave it to print as missing
        code = _free_code(face.charToGlyph)
        face.charToGlyph[code] = glyph
        face.glyphToChar.setdefault(glyph, []).append(code)
        face.charWidths[code] = face.charWidths.get(base, face.defaultWidth)
        _stand_ins[code] = sequence
        return chr(code)


def mend_text_layer() -> None:
    """Have ReportLab write the text layer as described in the module docstring (idempotent).

    This replaces one function of ``reportlab.pdfbase.ttfonts`` for the whole process; for
    characters of the Basic Multilingual Plane it writes what ReportLab writes.
    """
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap


def _free_code(mapped: dict[int, int]) -> int:
    code = max(_stand_ins, default=_FIRST_PRIVATE - 1) + 1
    while code in mapped:
        code += 1
    return code


def _variation_table(cmap: bytes) -> Iterator[tuple[tuple[int, int], int]]:
    """((base, selector), glyph) for each sequence with a glyph of its own (cmap format 14's
    non-default mappings); nothing if the font has no such table."""
    (count,) = struct.unpack_from(">H", cmap, 2)
    for index in range(count):
        (offset,) = struct.unpack_from(">L", cmap, 8 + 8 * index)
        if struct.unpack_from(">H", cmap, offset) == (14,):
            yield from _non_default_mappings(cmap, offset)
            return


def _non_default_mappings(cmap: bytes, start: int) -> Iterator[tuple[tuple[int, int], int]]:
    (records,) = struct.unpack_from(">L", cmap, start + 6)
    for index in range(records):
        at = start + 10 + 11 * index
        selector = int.from_bytes(cmap[at : at + 3], "big")
        (table,) = struct.unpack_from(">L", cmap, at + 7)
        if table:
            yield from _mappings(cmap, start + table, selector)


def _mappings(cmap: bytes, at: int, selector: int) -> Iterator[tuple[tuple[int, int], int]]:
    (count,) = struct.unpack_from(">L", cmap, at)
    for entry in range(at + 4, at + 4 + 5 * count, 5):
        base = int.from_bytes(cmap[entry : entry + 3], "big")
        (glyph,) = struct.unpack_from(">H", cmap, entry + 3)
        yield (base, selector), glyph


_CMAP = """/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo
<< /Registry ({name})
/Ordering ({name})
/Supplement 0
>> def
/CMapName /{name} def
/CMapType 2 def
1 begincodespacerange
<00> <{last:02X}>
endcodespacerange
{mappings}
endcmap
CMapName currentdict /CMap defineresource pop
end
end"""


def _to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
    """The ToUnicode CMap of one 256-character subset, in the shape ReportLab writes it."""
    pairs = [f"<{index:02X}> <{_utf16(code)}>" for index, code in enumerate(subset)]
    # The PDF reference allows at most 100 mappings in one bfchar block.
    blocks = [pairs[start : start + 100] for start in range(0, len(pairs), 100)]
    mappings = "\n".join(
        f"{len(block)} beginbfchar\n" + "\n".join(block) + "\nendbfchar" for block in blocks
    )
    return _CMAP.format(name=fontname, last=len(subset) - 1, mappings=mappings)


def _utf16(code: int) -> str:
    return _stand_ins.get(code, chr(code)).encode("utf-16-be").hex().upper()
