"""Japanese fonts for printed documents: find one, register it with ReportLab once.

IPAmj Mincho comes first because it draws the MJ character set that resident registers use:
𠮷 (U+20BB7), 髙, 﨑 and ideographic variation sequences. IPAex Mincho, which stops at JIS
X 0213, is the fallback. A caller may name a font file instead; nothing is read from the
environment.

    FontError
    ├── FontsMissing    no font file where we looked; the message names the Debian packages
    └── FontUnusable    the file is there, but ReportLab cannot embed it (not TrueType …)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from jukinet.adapters.documents.glyphs import VariantGlyphs, mend_text_layer

IPAMJ_MINCHO = Path("/usr/share/fonts/truetype/ipamj/ipamjm.ttf")
IPAEX_MINCHO = Path("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf")
DEBIAN_PACKAGES = ("fonts-ipamj-mincho", "fonts-ipaexfont-mincho")


class FontError(Exception):
    """No Japanese font can be used; the message says what to install or pass instead."""


class FontsMissing(FontError):
    def __init__(self, tried: tuple[Path, ...]) -> None:
        looked = ", ".join(str(path) for path in tried)
        super().__init__(
            f"No Japanese font at {looked}. Install the Debian packages"
            f" {' and '.join(DEBIAN_PACKAGES)} (apt-get install {' '.join(DEBIAN_PACKAGES)}),"
            " or pass the path of a TrueType font."
        )
        self.tried = tried


class FontUnusable(FontError):
    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(f"{path} cannot be embedded in a PDF ({problem}); use a TrueType font.")
        self.path = path
        self.problem = problem


@dataclass(frozen=True, slots=True)
class JapaneseFont:
    """A font registered with ReportLab under ``name``."""

    name: str
    path: Path
    variants: VariantGlyphs

    def typeset(self, text: str) -> str:
        """``text`` ready to set in this font: variation sequences become glyphs it draws."""
        return self.variants.substitute(text)


def japanese_font(path: Path | None = None) -> JapaneseFont:
    """The font at ``path``, or else the first of IPAmj Mincho and IPAex Mincho installed,
    registered with ReportLab once per process; ``FontError`` if there is none to use."""
    tried = (IPAMJ_MINCHO, IPAEX_MINCHO) if path is None else (path,)
    found = next((candidate for candidate in tried if candidate.is_file()), None)
    if found is None:
        raise FontsMissing(tried)
    return _register(found)


@functools.cache
def _register(path: Path) -> JapaneseFont:
    try:
        font = TTFont(f"jukinet-{path.stem}", str(path))
    except TTFError as error:
        raise FontUnusable(path, str(error)) from None
    mend_text_layer()
    pdfmetrics.registerFont(font)
    return JapaneseFont(font.fontName, path, VariantGlyphs(font))
