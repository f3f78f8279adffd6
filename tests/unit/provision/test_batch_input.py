"""Reading an agency's batch file: what its developer sees for each row and for the file.

Throughput (measured, not asserted): 200,000 CSV rows read from ``io.BytesIO`` with CPython
3.11 on one core of a shared 2-core VM, best of 3 runs, detected or declared CP932 alike:

    resident codes or My Numbers only        75,000–90,000 rows/s
    the four key kinds mixed                 ~45,000 rows/s
    name + birth date + sex + address        25,000–31,000 rows/s

The reader's own share is about 4 µs a row (0.4 µs splitting and decoding); the rest is
``SearchKey.parse`` (7–10 µs for a code, 25 µs for a name with an address). Forty million
pensioners' resident codes take roughly eight minutes on one core.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

import pytest

from jukinet.domain.codes import MyNumber, ResidentCode
from jukinet.domain.identity import Sex
from jukinet.domain.matching import address_key, name_key
from jukinet.domain.searches import KeyKind, SearchKey
from jukinet.nodes.provision.batch_input import (
    LINE_LIMIT,
    BatchFileInvalid,
    BatchFormat,
    BatchRow,
    RowProblem,
    read_batch,
)

CSV, JSONL = BatchFormat.CSV, BatchFormat.JSON_LINES
HEADER = "ref,resident_code,my_number,name,kana,birth_date,sex,address"
HEADER_JA = "照会番号,住民票コード,個人番号,氏名,氏名フリガナ,生年月日,性別,住所"


def resident_code(n: int) -> str:
    return ResidentCode.from_body(f"{n:010d}").value


def my_number(n: int) -> str:
    return MyNumber.from_body(f"{n:011d}").value


def wrong_check_digit(code: str) -> str:
    return code[:-1] + str((int(code[-1]) + 1) % 10)


ROWS = [
    f"A-1,{resident_code(1)},,,,,,",
    f"A-2,,{my_number(2)},,,,,",
    "A-3,,,髙橋 太郎,,1950-04-01,男,東京都千代田区千代田一丁目1番1号",
    "A-4,,,,ヤマダ ハナコ,19520315,2,",
]


def encoded(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def read(
    data: bytes, fmt: BatchFormat = CSV, encoding: str | None = None, **options: int
) -> list[BatchRow]:
    return list(read_batch(io.BytesIO(data), fmt, encoding, **options))


def key_of(row: BatchRow) -> SearchKey:
    assert row.key is not None, row.problem
    return row.key


def problem_of(row: BatchRow) -> RowProblem:
    assert row.problem is not None, row.key
    return row.problem


def keys(rows: list[BatchRow]) -> list[SearchKey]:
    assert [row.problem for row in rows] == [None] * len(rows)
    return [row.key for row in rows if row.key is not None]


def problems(rows: list[BatchRow]) -> dict[str, tuple[str, str]]:
    """Each refused row's reference (or line number) → (field, problem)."""
    return {
        row.reference or f"line {row.line}": (row.problem.field, row.problem.problem)
        for row in rows
        if row.problem is not None
    }


# --- the rows an agency sends -----------------------------------------------------------


def test_utf8_csv_with_english_headers_gives_one_key_per_row() -> None:
    rows = read(encoded(HEADER, *ROWS))

    assert [(row.number, row.line, row.reference) for row in rows] == [
        (1, 2, "A-1"),
        (2, 3, "A-2"),
        (3, 4, "A-3"),
        (4, 5, "A-4"),
    ]
    by_code, by_number, by_name, by_kana = keys(rows)
    assert by_code == SearchKey(KeyKind.RESIDENT_CODE, resident_code=resident_code(1))
    assert by_number == SearchKey(KeyKind.MY_NUMBER, my_number=my_number(2))
    assert by_name.kind is KeyKind.NAME
    assert (by_name.name, by_name.birth_date, by_name.sex) == (
        "高橋太郎",
        date(1950, 4, 1),
        Sex.MALE,
    )
    assert by_name.address == address_key("東京都千代田区千代田1-1-1")
    assert (by_kana.kana, by_kana.birth_date, by_kana.sex) == (
        "ヤマダハナコ",
        date(1952, 3, 15),
        Sex.FEMALE,
    )


@pytest.mark.parametrize(
    "encoding", [None, "shift_jis", "Shift-JIS", "cp932", "Windows-31J", "sjis"]
)
def test_shift_jis_file_with_japanese_headers_reads_like_the_utf8_one(encoding: str | None) -> None:
    expected = read(encoded(HEADER, *ROWS))

    rows = read(encoded(HEADER_JA, *ROWS, encoding="cp932"), encoding=encoding)

    assert rows == expected


def test_utf8_with_byte_order_mark_is_read_whether_declared_or_detected() -> None:
    data = b"\xef\xbb\xbf" + encoded(HEADER, *ROWS)

    assert read(data) == read(data, encoding="utf-8") == read(encoded(HEADER, *ROWS))


def test_other_column_spellings_and_orders_are_accepted() -> None:
    data = encoded(" 照会番号 ,ｶﾅ氏名,性別,生年月日", "K-1,ﾔﾏﾀﾞ ﾊﾅｺ,女,1952-03-15")

    (key,) = keys(read(data))

    assert (key.kind, key.kana, key.sex) == (KeyKind.KANA, "ヤマダハナコ", Sex.FEMALE)


def test_half_width_katakana_and_full_width_digits_fold_into_keys() -> None:
    full_width_code = resident_code(7).translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    )
    data = encoded(
        "ref,resident_code,kana,birth_date,sex",
        f"W-1,{full_width_code},,,",
        "W-2,,ﾀｶﾊｼ ﾀﾛｳ,1950-04-01,1",
        "W-3,,たかはし　たろう,1950-04-01,1",
        encoding="cp932",
    )

    by_code, half_width, hiragana = keys(read(data))

    assert by_code.resident_code == resident_code(7)
    assert half_width.kana == hiragana.kana == "タカハシタロウ"


def test_a_character_only_cp932_has_survives_in_an_address() -> None:
    address = "東京都千代田区千代田1－1 ①号棟～"
    with pytest.raises(UnicodeEncodeError):
        address.encode("shift_jis")  # the strict codec has neither ① nor ～ (U+FF5E)
    data = encoded(
        "ref,name,birth_date,sex,address", f"C-1,山田太郎,1950-04-01,1,{address}", encoding="cp932"
    )

    for encoding in (None, "shift_jis"):
        (key,) = keys(read(data, encoding=encoding))
        assert key.address == address_key(address)


def test_one_undecodable_line_costs_its_row_only() -> None:
    before = encoded(HEADER_JA, ROWS[2], encoding="cp932")
    broken = b"B-1,,,\x82\xa0\x85\x40,,1950-04-01,1,\r\n"  # 0x8540 is unassigned
    data = before + broken + encoded(ROWS[3], encoding="cp932")

    for encoding in (None, "cp932"):
        rows = read(data, encoding=encoding)
        assert [row.reference for row in rows] == ["A-3", "", "A-4"]
        assert key_of(rows[0]).name == "高橋太郎"
        assert key_of(rows[2]).kana == "ヤマダハナコ"
        offset = len(before) + broken.index(b"\x85")
        assert problems(rows) == {
            "line 3": ("encoding", f"the bytes at offset {offset} are not CP932 (Shift_JIS)")
        }


def test_one_broken_line_does_not_turn_a_utf8_file_into_shift_jis() -> None:
    data = encoded(HEADER, ROWS[2]) + b"B-1,,,\xff,,1950-04-01,1,\n" + encoded(ROWS[3])

    rows = read(data)

    assert key_of(rows[0]).name == "高橋太郎"
    assert problem_of(rows[1]).field == "encoding"
    assert key_of(rows[2]).kana == "ヤマダハナコ"


def test_a_shift_jis_row_after_64_kib_of_plain_codes_is_still_read() -> None:
    codes = [f"R{n},{resident_code(n)},,,,,," for n in range(5_000)]
    data = encoded(HEADER, *codes, ROWS[2], encoding="cp932")
    assert len(data) > 64 * 1024

    rows = read(data)

    assert key_of(rows[-1]).name == "高橋太郎"


def test_a_garbage_line_after_plain_codes_does_not_decide_the_encoding() -> None:
    codes = [f"R{n},{resident_code(n)},,,,,," for n in range(5_000)]
    garbage = b"G-1,,,\x85\x40\xff,,1950-04-01,1,\n"  # neither UTF-8 nor CP932
    data = encoded(HEADER, *codes) + garbage + encoded(ROWS[2])

    rows = read(data)

    assert problem_of(rows[-2]).problem.endswith("are not UTF-8 or CP932")
    assert key_of(rows[-1]).name == "高橋太郎"  # the UTF-8 row that follows


def test_a_row_with_the_wrong_number_of_cells_is_refused() -> None:
    rows = read(encoded(HEADER, ROWS[0], "A-9,1,2", ROWS[1]))

    assert [row.number for row in rows] == [1, 2, 3]
    assert problems(rows) == {"line 3": ("line", "has 3 cells; the header names 8 columns")}


def test_a_row_without_its_reference_is_refused_and_numbered() -> None:
    rows = read(
        encoded(HEADER, f",{resident_code(1)},,,,,,", f"{'R' * 65},{resident_code(2)},,,,,,")
    )

    assert [(row.number, row.problem and row.problem.field) for row in rows] == [
        (1, "ref"),
        (2, "ref"),
    ]
    assert "limit is 64" in problem_of(rows[1]).problem


def test_a_wrong_check_digit_names_the_resident_code() -> None:
    rows = read(encoded(HEADER, f"D-1,{wrong_check_digit(resident_code(3))},,,,,,"))

    field, problem = problems(rows)["D-1"]
    assert field == "key.resident_code"
    assert "check digit" in problem


@pytest.mark.parametrize("name", ["山田%", "*", "山＊", "_郎", "山田?"])
def test_a_wildcard_in_a_name_is_refused_for_that_row(name: str) -> None:
    rows = read(encoded(HEADER, f"X-1,,,{name},,1950-04-01,1,", ROWS[0]))

    assert problems(rows) == {
        "X-1": ("key.name", "wildcards are not accepted: give the whole value as registered")
    }
    assert rows[1].key is not None


def test_a_partial_key_says_which_field_is_missing() -> None:
    rows = read(encoded("ref,name,birth_date", "P-1,山田太郎,1950-04-01"))

    assert problems(rows)["P-1"][0] == "key.sex"


@pytest.mark.parametrize(
    "cells",
    [
        ",,' OR 1=1 --,,1950-04-01,1,",
        ',,"\'; DROP TABLE residents; --",,1950-04-01,1,',
        ",,=cmd|' /C calc'!A0,,1950-04-01,1,",
        "' OR '1'='1,,,,,,",
        ",,%,,1950-04-01,1,",
        ",,山田,,1950-04-01,1,十十丁目",
        ",,山田\x00太郎,,1950-04-01,1,",
        ",,山田,,9999-99-99,x,",
        '"""",,,,,,',
        ',,"山田"太郎,,1950-04-01,1,',
    ],
)
def test_injection_attempts_come_back_as_row_problems_or_literal_keys(cells: str) -> None:
    (row,) = read(encoded(HEADER, f"I-1,{cells}"))

    if row.key is not None:
        assert row.key.kind is KeyKind.NAME
        assert row.key.name == name_key(cells.split(",")[2].strip('"'))  # the text, not a pattern
    else:
        assert problem_of(row).field.startswith(("key", "ref", "line"))


def test_blank_lines_are_skipped_but_counted_as_lines() -> None:
    rows = read(encoded("", HEADER, "", ROWS[0], "   ", "", ROWS[1], ""))

    assert [(row.number, row.line) for row in rows] == [(1, 4), (2, 7)]


def test_the_last_row_is_read_without_a_final_line_break() -> None:
    rows = read(encoded(HEADER, *ROWS).rstrip(b"\r\n"))

    assert [row.reference for row in rows] == ["A-1", "A-2", "A-3", "A-4"]


def test_quoted_cells_may_hold_commas_but_not_line_breaks() -> None:
    data = encoded(
        "ref,name,birth_date,sex,address",
        'Q-1,山田太郎,1950-04-01,1,"東京都千代田区千代田1-1,2階"',
        'Q-2,山田太郎,1950-04-01,1,"東京都千代田区',
        '千代田1-1"',
        "Q-3,山田太郎,1950-04-01,1,",
    )

    rows = read(data)

    assert key_of(rows[0]).address == address_key("東京都千代田区千代田1-1,2階")
    assert problems(rows)["line 3"] == (
        "line",
        "has a quoted cell that is not closed on this line; cells may not hold line breaks",
    )
    assert rows[-1].reference == "Q-3"
    assert key_of(rows[-1]).name == "山田太郎"


def test_an_overlong_line_is_refused_without_holding_it() -> None:
    data = encoded(HEADER, ROWS[0], "L-1," + "x" * LINE_LIMIT, ROWS[1])

    rows = read(data)

    assert [row.reference for row in rows] == ["A-1", "", "A-2"]
    assert problems(rows) == {"line 3": ("line", f"is longer than {LINE_LIMIT:,} bytes")}


# --- JSON Lines --------------------------------------------------------------------------


def test_json_lines_rows_with_string_and_integer_values() -> None:
    data = encoded(
        f'{{"ref": "J-1", "resident_code": "{resident_code(1)}"}}',
        f'{{"ref": 2, "my_number": {my_number(12_345_678_901)}}}',
        '{"ref": "J-3", "name": "山田太郎", "birth_date": "1950-04-01", "sex": 1, "address": null}',
    )

    rows = read(data, JSONL)

    assert [row.reference for row in rows] == ["J-1", "2", "J-3"]
    by_code, by_number, by_name = keys(rows)
    assert by_code.resident_code == resident_code(1)
    assert by_number.my_number == my_number(12_345_678_901)
    assert (by_name.name, by_name.sex, by_name.address) == ("山田太郎", Sex.MALE, None)


@pytest.mark.parametrize(
    ("line", "field", "problem"),
    [
        ('{"ref": "J-1", "resident_code": ', "line", "is not valid JSON"),
        ('{"ref": "J-1", "resident_code": 1e3}', "line", "has the number 1e3"),
        ('{"ref": "J-1", "resident_code": NaN}', "line", "has the number NaN"),
        ('["J-1", "12345678901"]', "line", "must be a JSON object, got an array"),
        ("[" * 5_000, "line", "is not valid JSON"),
        ('{"ref": "J-1", "ref": "J-2", "my_number": "1"}', "line", "a name is given twice"),
        ('{"ref": "J-1", "name": ["山田"]}', "key.name", "got an array"),
        ('{"ref": true, "my_number": "1"}', "ref", "got true or false"),
        ('{"ref": "J-1", "furigana": "ヤマダ"}', "key.furigana", "is not a search field"),
        ('{"ref": "J-1", "resident_code": 1234567890}', "key.resident_code", "must be 11 digits"),
    ],
)
def test_a_json_line_that_is_not_a_flat_object_of_strings_and_integers_is_refused(
    line: str, field: str, problem: str
) -> None:
    rows = read(encoded(line, f'{{"ref": "ok", "resident_code": "{resident_code(1)}"}}'), JSONL)

    assert rows[0].problem is not None
    assert (rows[0].problem.field, problem in rows[0].problem.problem) == (field, True)
    assert rows[1].key is not None


# --- the file as a whole -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding", "field", "says"),
    [
        (encoded(HEADER, *ROWS), "latin-1", "encoding", "'latin-1' is not an encoding we read"),
        (b"", None, "file", "is empty"),
        (b"\r\n  \n", None, "file", "is empty"),
        (
            encoded("ref,furigana,sex"),
            None,
            "header",
            "names unknown columns 'furigana'; accepted: ref,",
        ),
        (encoded("name,birth_date,sex"), None, "header", "has no ref"),
        (
            encoded("ref,氏名,name,sex"),
            None,
            "header",
            "names the column name 2 times (氏名, name)",
        ),
        (encoded(ROWS[0]), None, "header", "is missing"),
        (encoded('ref,"name'), None, "header", "quoted cell that is not closed"),
        (encoded(HEADER).decode().encode("utf-16"), None, "encoding", "is UTF-16"),
        (b"\xef\xbb\xbf" + encoded(HEADER), "cp932", "encoding", "byte order mark"),
        (b"ref,\x82\xff\n", "cp932", "encoding", "not CP932"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_before_any_row(
    data: bytes, encoding: str | None, field: str, says: str
) -> None:
    with pytest.raises(BatchFileInvalid) as refused:
        read_batch(io.BytesIO(data), CSV, encoding)  # raises on the call, before iterating

    assert refused.value.field == field
    assert says in refused.value.problem
    assert refused.value.kind == "batch-file-invalid"


def test_an_empty_json_lines_file_is_refused() -> None:
    with pytest.raises(BatchFileInvalid, match="is empty"):
        read_batch(io.BytesIO(b"\n"), JSONL)


def test_more_rows_than_allowed_stops_the_file_after_the_allowed_ones() -> None:
    rows = read_batch(io.BytesIO(encoded(HEADER, *ROWS)), CSV, max_rows=3)

    assert [row.reference for row in (next(rows), next(rows), next(rows))] == ["A-1", "A-2", "A-3"]
    with pytest.raises(BatchFileInvalid, match="has more than 3 rows") as refused:
        next(rows)
    assert refused.value.field == "file"


def generated(count: int) -> Iterator[str]:
    yield HEADER
    for n in range(count):
        yield f"G-{n},{resident_code(n)},,,,,," if n % 2 else f"G-{n},,{my_number(n)},,,,,"


def test_a_hundred_thousand_rows_stream_without_reading_the_whole_file_first() -> None:
    stream = io.BytesIO(encoded(*generated(100_000)))

    rows = read_batch(stream, CSV)
    first = next(rows)
    assert stream.tell() <= 2 * 64 * 1024 < len(stream.getvalue())
    count = 1 + sum(1 for row in rows if row.key is not None)

    assert (first.reference, count) == ("G-0", 100_000)
