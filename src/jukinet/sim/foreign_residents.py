"""Foreign residents as the register records them (住民基本台帳法 第30条の45).

The register writes a foreign resident's name as on the residence card: in the alphabet,
family name first and in capitals ("NGUYEN VAN AN"), except for names of kanji culture, which
are written in kanji (中国: "王　偉"). The katakana reading separates the parts with a
full-width space. Permanent residents (永住者) have no period of stay and so no expiry date.
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import date, timedelta

from jukinet.sim.names import Sex

_Part = tuple[str, str]  # as written, katakana


@dataclass(frozen=True, slots=True)
class SyntheticForeignResident:
    """A foreign resident with the status fields a 住民票 shows for them."""

    name: str
    name_kana: str
    sex: Sex
    birth_date: date
    nationality: str
    residence_status: str
    period_of_stay: str
    stay_expires_on: date | None
    residence_card_number: str


@dataclass(frozen=True, slots=True)
class _Nationality:
    name: str
    family: tuple[_Part, ...]
    given: dict[Sex, tuple[_Part, ...]]
    weight: int


def _parts(*pairs: str) -> tuple[_Part, ...]:
    return tuple((written, kana) for written, kana in (pair.split(":") for pair in pairs))


_NATIONALITIES = (
    _Nationality(
        "中国",
        _parts(
            "王:ワン",
            "李:リ",
            "張:チャン",
            "劉:リュウ",
            "陳:チン",
            "楊:ヤン",
            "趙:チョウ",
            "周:シュウ",
        ),
        {
            "male": _parts(
                "偉:ウェイ", "強:チアン", "磊:レイ", "軍:ジュン", "傑:ジエ", "浩然:ハオラン"
            ),
            "female": _parts(
                "芳:ファン", "娜:ナ", "静:ジン", "麗:リー", "秀英:シウイン", "敏:ミン"
            ),
        },
        weight=28,
    ),
    _Nationality(
        "ベトナム",
        _parts("NGUYEN:グエン", "TRAN:チャン", "LE:レ", "PHAM:ファム", "HOANG:ホアン", "VU:ヴー"),
        {
            "male": _parts(
                "VAN AN:ヴァン　アン", "VAN NAM:ヴァン　ナム", "DUC MINH:ドゥック　ミン"
            ),
            "female": _parts("THI LAN:ティ　ラン", "THI HOA:ティ　ホア", "THI MAI:ティ　マイ"),
        },
        weight=20,
    ),
    _Nationality(
        "韓国",
        _parts("KIM:キム", "LEE:イ", "PARK:パク", "CHOI:チェ", "JUNG:チョン"),
        {
            "male": _parts("MINJUN:ミンジュン", "JIHOON:ジフン", "SEOJUN:ソジュン"),
            "female": _parts("SEOYEON:ソヨン", "JIWOO:ジウ", "HAEUN:ハウン"),
        },
        weight=14,
    ),
    _Nationality(
        "フィリピン",
        _parts("SANTOS:サントス", "REYES:レイエス", "CRUZ:クルス", "GARCIA:ガルシア"),
        {
            "male": _parts(
                "JOSE:ホセ", "MARK ANTHONY:マーク　アンソニー", "JOHN PAUL:ジョン　ポール"
            ),
            "female": _parts(
                "MARIA:マリア", "ANGELICA:アンジェリカ", "KRISTINE JOY:クリスティン　ジョイ"
            ),
        },
        weight=10,
    ),
    _Nationality(
        "ブラジル",
        _parts("SILVA:シルバ", "SANTOS:サントス", "OLIVEIRA:オリベイラ", "SOUZA:ソウザ"),
        {
            "male": _parts("LUCAS:ルーカス", "GABRIEL:ガブリエル", "JOAO PEDRO:ジョアン　ペドロ"),
            "female": _parts("ANA CLARA:アナ　クララ", "JULIANA:ジュリアナ", "BEATRIZ:ベアトリス"),
        },
        weight=7,
    ),
    _Nationality(
        "ネパール",
        _parts("GURUNG:グルン", "SHRESTHA:シュレスタ", "TAMANG:タマン", "RAI:ライ"),
        {
            "male": _parts("RAM:ラム", "BIKASH:ビカス", "SURAJ:スラジ"),
            "female": _parts("SITA:シタ", "ANJALI:アンジャリ", "PUJA:プジャ"),
        },
        weight=6,
    ),
    _Nationality(
        "アメリカ合衆国",
        _parts("SMITH:スミス", "JOHNSON:ジョンソン", "WILLIAMS:ウィリアムズ", "BROWN:ブラウン"),
        {
            "male": _parts("JOHN:ジョン", "MICHAEL:マイケル", "DAVID:デイビッド"),
            "female": _parts("EMILY:エミリー", "SARAH:サラ", "JESSICA:ジェシカ"),
        },
        weight=3,
    ),
)

# Status of residence, the ages it fits, its periods of stay ("" for none) and their length.
_STATUSES: tuple[tuple[str, tuple[int, int], tuple[tuple[str, int], ...], int], ...] = (
    ("永住者", (25, 85), (("", 0),), 30),
    ("技術・人文知識・国際業務", (22, 55), (("5年", 5), ("3年", 3), ("1年", 1)), 20),
    ("留学", (18, 30), (("2年", 2), ("1年", 1)), 18),
    ("特定技能", (19, 45), (("1年", 1),), 12),
    ("家族滞在", (0, 50), (("3年", 3), ("1年", 1)), 10),
)


def _residence_card_number(rng: random.Random) -> str:
    letters = string.ascii_uppercase
    return (
        "".join(rng.choices(letters, k=2))
        + "".join(rng.choices(string.digits, k=8))
        + "".join(rng.choices(letters, k=2))
    )


def _name(rng: random.Random, nationality: _Nationality, sex: Sex) -> tuple[str, str]:
    family, given = rng.choice(nationality.family), rng.choice(nationality.given[sex])
    space = " " if family[0].isascii() else "\u3000"
    return f"{family[0]}{space}{given[0]}", f"{family[1]}\u3000{given[1]}"


def draw_foreign_resident(rng: random.Random, today: date) -> SyntheticForeignResident:
    """A foreign resident whose residence card, if its stay is limited, is valid on ``today``."""
    nationality = rng.choices(_NATIONALITIES, weights=[n.weight for n in _NATIONALITIES])[0]
    status, (youngest, oldest), periods, _ = rng.choices(
        _STATUSES, weights=[s[3] for s in _STATUSES]
    )[0]
    period, years = rng.choice(periods)
    sex: Sex = rng.choice(("male", "female"))
    name, name_kana = _name(rng, nationality, sex)
    age_days = rng.randint(youngest * 365, oldest * 365 + 364)
    expires = today + timedelta(days=rng.randint(1, years * 365)) if years else None
    return SyntheticForeignResident(
        name=name,
        name_kana=name_kana,
        sex=sex,
        birth_date=today - timedelta(days=age_days),
        nationality=nationality.name,
        residence_status=status,
        period_of_stay=period,
        stay_expires_on=expires,
        residence_card_number=_residence_card_number(rng),
    )


def generate_foreign_residents(
    rng: random.Random, count: int, today: date
) -> list[SyntheticForeignResident]:
    """``count`` foreign residents, mostly 中国, ベトナム and 韓国 nationals, as in Japan."""
    return [draw_foreign_resident(rng, today) for _ in range(count)]
