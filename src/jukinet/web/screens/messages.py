"""The words on the screens, in Japanese and English: ``messages/*.yaml``.

Each catalogue file maps a key to its text in every language::

    staff.home.title:
      ja: 業務メニュー
      en: Work menu

Files are merged (one per group of screens, so that they can grow apart); a key defined twice
is an error. ``{name}`` placeholders are filled from the keyword arguments of ``t()``. A key
missing from the catalogues shows as the key itself, and ``tests/unit/web`` fails on every
key a template uses that a catalogue lacks in either language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANGUAGES = ("ja", "en")
HERE = Path(__file__).parent / "messages"


@dataclass(frozen=True)
class Catalogue:
    texts: dict[str, dict[str, str]]

    @staticmethod
    @cache
    def load() -> Catalogue:
        texts: dict[str, dict[str, str]] = {}
        for path in sorted(HERE.glob("*.yaml")):
            loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            for key, entry in loaded.items():
                if key in texts:
                    raise ValueError(f"{path.name}: {key} is defined twice")
                missing = [lang for lang in LANGUAGES if not (entry or {}).get(lang)]
                if missing:
                    raise ValueError(f"{path.name}: {key} has no text in {', '.join(missing)}")
                texts[key] = {lang: str(entry[lang]) for lang in LANGUAGES}
        return Catalogue(texts)

    def text(self, key: str, lang: str, **values: Any) -> str:
        entry = self.texts.get(key)
        if entry is None:
            return key
        template = entry.get(lang) or entry["ja"]
        return template.format(**values) if values else template

    def translator(self, lang: str) -> Callable[..., str]:
        def t(key: str, **values: Any) -> str:
            return self.text(key, lang, **values)

        return t
