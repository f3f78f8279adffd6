"""Every word a screen shows exists in Japanese and in English."""

from __future__ import annotations

import re
from pathlib import Path

from jukinet.web.screens.messages import LANGUAGES, Catalogue
from jukinet.web.screens.rendering import TEMPLATES

SCREENS = TEMPLATES.parent
_KEY = re.compile(r"""\bt\(\s*["']([a-z][\w.\- ]+)["']""")
_LABEL = re.compile(r"""MenuItem\(\s*["']([a-z][\w.\-]+)["']""")


def _used_keys() -> dict[str, Path]:
    used: dict[str, Path] = {}
    for path in [*TEMPLATES.rglob("*.html"), *SCREENS.rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        for pattern in (_KEY, _LABEL):
            for key in pattern.findall(text):
                used.setdefault(key, path)
    return used


def test_every_key_a_screen_uses_has_both_languages() -> None:
    catalogue = Catalogue.load()
    missing = {
        key: str(path.relative_to(SCREENS))
        for key, path in _used_keys().items()
        if key not in catalogue.texts
    }
    assert missing == {}
    assert all(set(entry) == set(LANGUAGES) for entry in catalogue.texts.values())


def test_placeholders_are_the_same_in_both_languages() -> None:
    names = re.compile(r"\{(\w+)\}")
    different = {
        key: entry
        for key, entry in Catalogue.load().texts.items()
        if set(names.findall(entry["ja"])) != set(names.findall(entry["en"]))
    }
    assert different == {}
