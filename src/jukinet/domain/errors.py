"""Domain errors: every rule the register enforces fails with one of these.

Each error names the field it concerns and says what is wrong with it, so that the web layer
can answer ``application/problem+json`` and the CLI can print one clear line without parsing
messages. Nothing is written when a use case raises one of them.

    DomainError
    ├── InvalidValue            a field breaks a rule (length, characters, date range …)
    │   ├── InvalidCode         a code has the wrong length or characters
    │   └── InvalidCheckDigit   a code's check digit does not match its body
    ├── UnknownMunicipality     a local-government code that is not in the directory
    ├── NotFound                a resident, household, certificate … that does not exist
    ├── Conflict                the request contradicts the current state (death recorded twice …)
    └── CodesExhausted          the municipality's pool of resident codes is empty
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the register was broken; ``field`` says where and ``problem`` says what."""

    kind = "domain-error"

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class InvalidValue(DomainError):
    kind = "invalid-value"


class InvalidCode(InvalidValue):
    kind = "invalid-code"


class InvalidCheckDigit(InvalidCode):
    kind = "invalid-check-digit"

    def __init__(self, field: str, value: str, expected: int) -> None:
        super().__init__(
            field,
            f"check digit of {value!r} should be {expected}, but it is {value[-1]}",
        )
        self.value = value
        self.expected = expected
        self.given = int(value[-1])


class UnknownMunicipality(DomainError):
    kind = "unknown-municipality"

    def __init__(self, field: str, code: str) -> None:
        super().__init__(field, f"{code} is not a municipality in the directory")
        self.code = code


class NotFound(DomainError):
    kind = "not-found"


class Conflict(DomainError):
    kind = "conflict"


class CodesExhausted(DomainError):
    kind = "codes-exhausted"
