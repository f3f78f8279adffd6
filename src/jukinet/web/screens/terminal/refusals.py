"""A use case's refusal as the window shows it: the status the API would answer, and a
message in the clerk's language placed next to the field the refusal names.

The refusal's own ``problem`` (the rule's words, naming the value) follows a short phrase of
the catalogue (``terminal.problem.<kind>``) that says in Japanese or English what kind of
refusal it is. Refusals that are not about the form (no permission, another node down) are
left to the app's error page (``web/problems.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from jukinet.domain.errors import DomainError
from jukinet.web.problems import status_of
from jukinet.web.screens.rendering import Screens, language
from jukinet.web.screens.terminal.fields import FormSpec

KINDS = (
    "invalid-value",
    "invalid-code",
    "invalid-check-digit",
    "unknown-municipality",
    "not-found",
    "conflict",
    "codes-exhausted",
    "suppressed",
    "not-issuable-here",
    "copy-refused",
    "narrow-your-search",
    "other",
)


def explain(screens: Screens, request: Request, error: DomainError) -> str:
    """``入力に誤りがあります: 'x' is not a real date …``, in the reader's language."""
    key = f"terminal.problem.{error.kind}"
    if error.kind not in KINDS:
        key = "terminal.problem.other"
    return f"{screens.catalogue.text(key, language(request))}: {error.problem}"


@dataclass(frozen=True)
class FormRefusal:
    """Where a refusal shows on a form: at its input, or above the form naming the field."""

    status: int
    errors: dict[str, str]  # input name → message
    general: str  # shown above the form when no input matches
    field: str

    @classmethod
    def of(
        cls,
        screens: Screens,
        request: Request,
        error: DomainError,
        spec: FormSpec,
        field: str | None = None,
    ) -> FormRefusal:
        """``field`` overrides the field the error names (when the form's names differ)."""
        named = error.field if field is None else field
        message = explain(screens, request, error)
        target = spec.field_for(named)
        if target is None:
            return cls(status_of(error), {}, message, named)
        return cls(status_of(error), {target.name: message}, "", named)
