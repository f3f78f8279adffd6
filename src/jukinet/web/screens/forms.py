"""From an HTML form to the JSON object the use cases read, and from their errors back to it.

The screens post ordinary HTML forms. Their field names follow the JSON forms of the API
(docs/register.md), so that one use case serves both:

* ``person.family_name`` — a dot nests: ``{"person": {"family_name": …}}``;
* ``members[]`` — repeated values make a list;
* ``members[0].resident_code`` — an index makes a list of objects;
* a field left empty is left out, as an API client would leave it out; a checkbox sends
  ``true``.

A refusal from a use case (:class:`~jukinet.domain.errors.DomainError`) names its field with
the same dotted name (``person.birth_date``), so the screen shows the message next to the
input that caused it.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request

_INDEXED = re.compile(r"^(?P<name>[^\[\]]+)\[(?P<index>\d+)\]$")
MOST_FIELDS = 500


def nested(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """``[("a.b", "1"), ("c[]", "x"), ("c[]", "y")]`` → ``{"a": {"b": "1"}, "c": ["x", "y"]}``."""
    result: dict[str, Any] = {}
    for key, raw in pairs[:MOST_FIELDS]:
        text = raw.strip()
        if text == "" or key in ("csrf", "lang", "next"):
            continue
        value: str | bool = True if text == "true" else text
        parts = key.split(".")
        here: Any = result
        for depth, part in enumerate(parts):
            last = depth == len(parts) - 1
            if part.endswith("[]"):
                items = here.setdefault(part[:-2], [])
                if last:
                    items.append(value)
                    break
                part = part[:-2]
            indexed = _INDEXED.match(part)
            if indexed:
                items = here.setdefault(indexed["name"], [])
                index = int(indexed["index"])
                while len(items) <= index:
                    items.append({})
                if last:
                    items[index] = value
                else:
                    here = items[index]
                continue
            if last:
                here[part] = value
            else:
                here = here.setdefault(part, {})
    for key, item in list(result.items()):  # indexed rows left empty are dropped
        if isinstance(item, list):
            result[key] = [row for row in item if row != {}]
    return result


async def posted(request: Request) -> dict[str, Any]:
    """The posted form, nested (see the module's docs)."""
    form: FormData = await request.form()
    return nested([(key, value) for key, value in form.multi_items() if isinstance(value, str)])
