"""Reading an agency's batch provision file (一括提供の照会ファイル), one row at a time.

An agency (日本年金機構 confirming that forty million pensioners are alive, say) sends a file
of search keys, and J-LIS answers every row. ``read_batch`` streams such a file: it holds one
64 KiB chunk and one line in memory, never the whole file, and turns each line into a
``BatchRow`` that carries either a validated ``SearchKey`` or the ``RowProblem`` that stops it.
A bad row never stops the file: only a problem of the file as a whole raises.

Two formats, both one row per line:

* CSV with a header row naming the columns ``ref, resident_code, my_number, name, kana,
  birth_date, sex, address`` or their Japanese names (照会番号, 住民票コード, 個人番号, 氏名,
  氏名フリガナ / フリガナ / カナ氏名, 生年月日, 性別, 住所), in any order and any subset that
  has ``ref``. An empty cell means "not given". Because lines are decoded one by one, a quoted
  cell cannot hold a line break: such a row is reported as not closed on its line, and the
  rest of the broken cell is read as a row of its own (which then fails as well). Names and
  addresses never hold line breaks, so nothing that could match is lost.
* JSON Lines: one object per line with the English names; values are strings or integers
  (``null`` means "not given"); ``ref`` may be an integer.

Encodings: agencies still send Shift_JIS. Every Shift_JIS name is read as CP932 (Windows-31J),
the superset that Japanese Windows systems actually write: ～ (U+FF5E), ① and the NEC and IBM
extensions exist only there, and a strict Shift_JIS decoder would refuse rows that the agency's
own system wrote. Without a declared encoding, a UTF-8 byte order mark means UTF-8; otherwise
the lines of the first 64 KiB that are not plain ASCII vote: valid UTF-8 wins a majority, or
the file is CP932 (a single broken line cannot flip a UTF-8 file). A head of pure ASCII (codes
only, say) leaves the choice to the first line that is not. Each line is decoded on its own,
so undecodable bytes cost only their row.

    DomainError
    └── InvalidValue
        └── BatchFileInvalid   the file as a whole cannot be read: ``field`` is "file"
                               (empty, too many rows), "encoding" or "header"

``read_batch`` raises the encoding and header problems when it is called and "too many rows"
during iteration, after the rows before it were yielded.
"""

from __future__ import annotations

import codecs
import csv
import json
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from itertools import chain
from typing import BinaryIO

from jukinet.domain.errors import InvalidValue
from jukinet.domain.searches import SEARCH_FIELDS, SearchKey
from jukinet.domain.text import clean_text

MAX_ROWS = 50_000_000
LINE_LIMIT = 8 * 1024  # bytes; a longer line is a row problem and is never held in memory
REFERENCE_LIMIT = 64
_CHUNK = 64 * 1024

_UTF8, _CP932 = "utf-8", "cp932"
_ENCODINGS = dict.fromkeys(("utf-8", "utf8"), _UTF8) | dict.fromkeys(
    ("shift-jis", "sjis", "cp932", "windows-31j", "ms932"), _CP932
)
_ENCODING_LABELS = {_UTF8: "UTF-8", _CP932: "CP932 (Shift_JIS)", None: "UTF-8 or CP932"}

_COLUMNS = {name: name for name in ("ref", *SEARCH_FIELDS)} | {
    "照会番号": "ref",
    "住民票コード": "resident_code",
    "個人番号": "my_number",
    "氏名": "name",
    "氏名フリガナ": "kana",
    "フリガナ": "kana",
    "カナ氏名": "kana",
    "生年月日": "birth_date",
    "性別": "sex",
    "住所": "address",
}
_ACCEPTED = (
    "ref, resident_code, my_number, name, kana, birth_date, sex, address "
    "(or 照会番号, 住民票コード, 個人番号, 氏名, 氏名フリガナ / フリガナ / カナ氏名, 生年月日, 性別, 住所)"
)


class BatchFormat(StrEnum):
    CSV = "csv"
    JSON_LINES = "jsonl"


class BatchFileInvalid(InvalidValue):
    """The file as a whole cannot be read; no answer file can be made for it."""

    kind = "batch-file-invalid"


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why one row has no search key: ``field`` as in ``InvalidValue`` ("key.sex", "ref" …)."""

    field: str
    problem: str


@dataclass(frozen=True, slots=True)
class BatchRow:
    """One data row: ``number`` counts data rows from 1 (no header, no blank lines), ``line``
    is the physical line, ``reference`` the agency's own (``""`` when it could not be read).
    Exactly one of ``key`` and ``problem`` is set."""

    number: int
    line: int
    reference: str
    key: SearchKey | None = None
    problem: RowProblem | None = None

    def __post_init__(self) -> None:
        if (self.key is None) == (self.problem is None):
            raise ValueError("a batch row has either a key or a problem")


Fields = dict[str, str]  # every value as text: JSON integers are read as their digits
_Line = tuple[int, str | RowProblem]  # physical line number, decoded text or why it is not


def read_batch(
    stream: BinaryIO,
    fmt: BatchFormat,
    encoding: str | None = None,
    *,
    max_rows: int = MAX_ROWS,
) -> Iterator[BatchRow]:
    """The rows of an agency's batch file; see the module docstring for what raises when."""
    lines = _lines(stream, _declared(encoding))
    first = next(lines, None)
    if first is None:
        raise BatchFileInvalid("file", "is empty: it has no header and no rows")
    if BatchFormat(fmt) is BatchFormat.CSV:
        return _rows(lines, _CsvLayout.from_header(first[1]).fields, max_rows)
    return _rows(chain([first], lines), _json_fields, max_rows)


def _declared(encoding: str | None) -> str | None:
    if encoding is None:
        return None
    found = _ENCODINGS.get(encoding.strip().lower().replace("_", "-"))
    if found is None:
        raise BatchFileInvalid(
            "encoding",
            f"{encoding!r} is not an encoding we read; give utf-8, shift_jis, cp932, "
            "windows-31j or sjis, or none to detect it",
        )
    return found


def _rows(
    lines: Iterator[_Line], fields_of: Callable[[str], Fields | RowProblem], max_rows: int
) -> Iterator[BatchRow]:
    for number, (line, text) in enumerate(lines, start=1):
        if number > max_rows:
            raise BatchFileInvalid("file", f"has more than {max_rows:,} rows; split it")
        yield _row(number, line, fields_of(text) if isinstance(text, str) else text)


def _row(number: int, line: int, fields: Fields | RowProblem) -> BatchRow:
    if isinstance(fields, RowProblem):
        return BatchRow(number, line, "", problem=fields)
    reference = fields.pop("ref", None)
    if not reference:
        return BatchRow(number, line, "", problem=_NO_REFERENCE)
    if not _is_clean(reference):
        try:
            reference = clean_text("ref", reference, max_length=REFERENCE_LIMIT)
        except InvalidValue as error:
            return BatchRow(number, line, "", problem=RowProblem(error.field, error.problem))
    try:
        return BatchRow(number, line, reference, key=SearchKey.parse(fields, field="key"))
    except InvalidValue as error:
        return BatchRow(number, line, reference, problem=RowProblem(error.field, error.problem))
    except Exception as defect:
        # A defect in key parsing must cost one row, not a batch of forty million.
        problem = f"could not be read ({type(defect).__name__} in jukinet; please report it)"
        return BatchRow(number, line, reference, problem=RowProblem("key", problem))


def _is_clean(reference: str) -> bool:
    """ASCII that ``clean_text`` would return unchanged, checked without its per-call cost."""
    return (
        len(reference) <= REFERENCE_LIMIT
        and reference.isascii()
        and reference.isprintable()
        and reference.strip() == reference
    )


_NO_REFERENCE = RowProblem("ref", "is required: give every row your own reference")

# --- lines ---------------------------------------------------------------------------------


def _lines(stream: BinaryIO, encoding: str | None) -> Iterator[_Line]:
    """Non-blank lines, decoded one by one; a line that cannot be decoded becomes a problem."""
    head, start = stream.read(_CHUNK), 0
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise BatchFileInvalid("encoding", "is UTF-16: save it as UTF-8 or Shift_JIS (CP932)")
    if head.startswith(codecs.BOM_UTF8):
        if encoding not in (None, _UTF8):
            raise BatchFileInvalid("encoding", "starts with a UTF-8 byte order mark, not CP932")
        encoding, start = _UTF8, len(codecs.BOM_UTF8)
    elif encoding is None:
        pieces = head.split(b"\n")
        encoding = _vote(pieces if len(head) < _CHUNK else pieces[:-1])
    chunks = chain([head[start:]], iter(lambda: stream.read(_CHUNK), b""))
    for number, (offset, raw) in enumerate(_split(chunks, start), start=1):
        if raw is None:
            yield number, _TOO_LONG
            continue
        if not raw or raw.isspace():
            continue
        if encoding is None and not raw.isascii():
            encoding = _settle(raw)
        try:
            yield number, raw.decode(encoding or _UTF8)
        except UnicodeDecodeError as error:
            at, label = offset + error.start, _ENCODING_LABELS[encoding]
            yield number, RowProblem("encoding", f"the bytes at offset {at} are not {label}")


_TOO_LONG = RowProblem("line", f"is longer than {LINE_LIMIT:,} bytes")


def _vote(lines: Iterable[bytes]) -> str | None:
    """UTF-8 if most non-ASCII lines decode as UTF-8, CP932 if not, None if all are ASCII."""
    valid = invalid = 0
    for line in lines:
        if line.isascii():
            continue
        try:
            line.decode(_UTF8)
        except UnicodeDecodeError:
            invalid += 1
        else:
            valid += 1
    if valid == invalid == 0:
        return None
    return _UTF8 if valid > invalid else _CP932


def _settle(line: bytes) -> str | None:
    """The encoding a line after an ASCII head shows; None if it is readable in neither."""
    for candidate in (_UTF8, _CP932):
        try:
            line.decode(candidate)
        except UnicodeDecodeError:
            continue
        return candidate
    return None


def _split(chunks: Iterable[bytes], offset: int) -> Iterator[tuple[int, bytes | None]]:
    """Each physical line's file offset and bytes (line break excluded), None if too long.

    An overlong line is dropped while it streams past, so memory stays bounded whatever the
    file holds.
    """
    partial, partial_length = b"", 0
    for chunk in chunks:
        pieces = chunk.split(b"\n")
        rest = pieces.pop()
        for piece in pieces:
            length = partial_length + len(piece)
            yield offset, (partial + piece if length <= LINE_LIMIT else None)
            offset += length + 1
            partial, partial_length = b"", 0
        partial_length += len(rest)
        partial = partial + rest if partial_length <= LINE_LIMIT else b""
    if partial_length:
        yield offset, (partial if partial_length <= LINE_LIMIT else None)


# --- CSV -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CsvLayout:
    columns: tuple[str, ...]

    @classmethod
    def from_header(cls, header: str | RowProblem) -> _CsvLayout:
        """The columns a header names; raise ``BatchFileInvalid`` for a header we cannot use."""
        if isinstance(header, RowProblem):
            raise BatchFileInvalid(
                "encoding" if header.field == "encoding" else "header", header.problem
            )
        cells = _cells(header)
        if isinstance(cells, RowProblem):
            raise BatchFileInvalid("header", cells.problem)
        names = [
            unicodedata.normalize("NFKC", cell.strip(" \ufeff")).strip().lower() for cell in cells
        ]
        if not any(name in _COLUMNS for name in names):
            raise BatchFileInvalid(
                "header", f"is missing: the first line must name the columns: {_ACCEPTED}"
            )
        unknown = [name for name in names if name not in _COLUMNS]
        if unknown:
            listed = ", ".join(repr(name[:40]) for name in unknown[:5])
            raise BatchFileInvalid(
                "header", f"names unknown columns {listed}; accepted: {_ACCEPTED}"
            )
        columns = tuple(_COLUMNS[name] for name in names)
        for column in dict.fromkeys(columns):
            given = [name for name in names if _COLUMNS[name] == column]
            if len(given) > 1:
                raise BatchFileInvalid(
                    "header", f"names the column {column} {len(given)} times ({', '.join(given)})"
                )
        if "ref" not in columns:
            raise BatchFileInvalid(
                "header", "has no ref (照会番号) column: every row needs the agency's own reference"
            )
        return cls(columns)

    def fields(self, text: str) -> Fields | RowProblem:
        cells = _cells(text)
        if isinstance(cells, RowProblem):
            return cells
        if len(cells) != len(self.columns):
            return RowProblem(
                "line", f"has {len(cells)} cells; the header names {len(self.columns)} columns"
            )
        # A cell of spaces becomes "", which SearchKey.parse also reads as "not given".
        return {
            column: cell.strip() for column, cell in zip(self.columns, cells, strict=True) if cell
        }


def _cells(text: str) -> list[str] | RowProblem:
    if '"' not in text:  # the common case, and exactly what the csv module would return
        return text.split(",")
    try:
        return next(csv.reader((text,), strict=True))
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            return RowProblem(
                "line",
                "has a quoted cell that is not closed on this line; cells may not hold line breaks",
            )
        return RowProblem("line", f"is not valid CSV: {error}")


# --- JSON Lines ----------------------------------------------------------------------------


class _NotAnInteger(ValueError):
    pass


def _refuse_number(text: str) -> object:
    raise _NotAnInteger(text)


def _object(pairs: list[tuple[str, object]]) -> dict[str, object]:
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise ValueError("a name is given twice in one object")
    return fields


_JSON = json.JSONDecoder(
    parse_float=_refuse_number, parse_constant=_refuse_number, object_pairs_hook=_object
)
_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", int: "a number"}
_JSON_TYPES |= {bool: "true or false", type(None): "null"}


def _json_fields(text: str) -> Fields | RowProblem:
    try:
        value = _JSON.decode(text)
    except _NotAnInteger as error:
        return RowProblem(
            "line",
            f"has the number {str(error)[:40]}; give codes and references as strings or integers",
        )
    except (ValueError, RecursionError) as error:
        return RowProblem("line", f"is not valid JSON: {str(error)[:200]}")
    if not isinstance(value, dict):
        return RowProblem("line", f"must be a JSON object, got {_JSON_TYPES[type(value)]}")
    fields: Fields = {}
    for name, item in value.items():
        if item is None:
            continue
        if isinstance(item, bool) or not isinstance(item, str | int):
            field = "ref" if name == "ref" else f"key.{name[:40]}"
            return RowProblem(
                field, f"must be a string or an integer, got {_JSON_TYPES[type(item)]}"
            )
        fields[name] = item if isinstance(item, str) else str(item)
    return fields
