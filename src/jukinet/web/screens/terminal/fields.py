"""The window's forms as data: each field named as the JSON form's key, with its label, its
kind of input and the reader that checks it as the clerk types.

One template (``terminal/form.html``) draws every form from its :class:`FormSpec`, so each
event of the register, each copy and each protection step looks and behaves the same: labels
on every input, the first field focused, the message of a refusal next to the field it names.
A field ``members[0].resident_code`` posts under that name and reaches the use case as
``{"members": [{"resident_code": …}]}`` (``screens/forms.py``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

TEXT, DATE, SELECT, CHECKBOX, CHECKBOXES, TEXTAREA, PASSWORD, NUMBER = (
    "text",
    "date",
    "select",
    "checkbox",
    "checkboxes",
    "textarea",
    "password",
    "number",
)
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_-]+")

Values = dict[str, list[str]]


def element_id(name: str) -> str:
    """``certificate.issuer`` → ``certificate-issuer``: an id that CSS selectors can name."""
    return _UNSAFE_ID.sub("-", name).strip("-")


@dataclass(frozen=True)
class Field:
    """One input. ``options`` are the values of a select or of checkboxes, each labelled by
    the message ``{option_labels}.{value}``; ``check`` names a reader of ``checks.py``."""

    name: str
    label: str
    kind: str = TEXT
    required: bool = False
    check: str = ""
    options: tuple[str, ...] = ()
    option_labels: str = ""
    hint: str = ""
    attrs: str = ""  # further attributes of the input (inputmode, maxlength …)
    default: str = ""

    @property
    def id(self) -> str:
        return element_id(self.name)


@dataclass(frozen=True)
class Fieldset:
    legend: str  # a message key
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class FormSpec:
    """A whole form: its title, the law it follows, its fieldsets and its submit label."""

    title: str
    fieldsets: tuple[Fieldset, ...]
    statute: str = ""
    submit: str = "common.submit"
    intro: str = ""
    fields_by_name: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        found = {f.name: f for fieldset in self.fieldsets for f in fieldset.fields}
        object.__setattr__(self, "fields_by_name", found)

    @property
    def fields(self) -> list[Field]:
        return list(self.fields_by_name.values())

    def labels(self) -> list[str]:
        """Every message key the form shows (for the catalogue's test)."""
        keys = [self.title, self.submit, *(s.legend for s in self.fieldsets)]
        keys += [self.statute, self.intro]
        for f in self.fields:
            keys += [f.label, f.hint, *(f"{f.option_labels}.{o}" for o in f.options)]
        return [key for key in keys if key]

    def defaults(self) -> Values:
        return {f.name: [f.default] for f in self.fields if f.default}

    def prefilled(self, query: Mapping[str, str]) -> Values:
        """The defaults, then what the link that opened the form carried (``?resident_code=``)."""
        values = self.defaults()
        for name, value in query.items():
            if name in self.fields_by_name:
                values[name] = [value]
        return values

    def booleans(self, data: dict[str, Any]) -> dict[str, Any]:
        """A checkbox posts ``false`` (its hidden twin) or ``true``: make both booleans, as an
        API client sends them, so a default of true can be turned off."""
        for f in self.fields:
            if f.kind != CHECKBOX:
                continue
            *path, last = f.name.split(".")
            here: Any = data
            for part in path:
                here = here.get(part) if isinstance(here, dict) else None
            if isinstance(here, dict) and here.get(last) == "false":
                here[last] = False
        return data

    def field_for(self, error_field: str) -> Field | None:
        """The input a refusal names: itself, or the input under it (``household`` →
        ``household.household_id``), or its list's first row (``members`` → ``members[0]…``)."""
        if error_field in self.fields_by_name:
            return self.fields_by_name[error_field]
        for name, found in self.fields_by_name.items():
            if name.startswith((error_field + ".", error_field + "[")):
                return found
        return None


def flat_values(pairs: Iterable[tuple[str, Any]]) -> Values:
    """The posted form as the template redraws it: every name with all its values."""
    values: Values = {}
    for name, value in pairs:
        if isinstance(value, str) and name != "csrf":
            values.setdefault(name, []).append(value)
    return values


def choice(kind: type[StrEnum], *leave_out: StrEnum) -> tuple[str, ...]:
    return tuple(member.value for member in kind if member not in leave_out)


def value_of(values: Values, name: str) -> str:
    found: Sequence[str] = values.get(name) or [""]
    return found[-1]
