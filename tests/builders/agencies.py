"""Two agencies' lists of the store tests' small commune (issue 12): the Department's (Sở Nội vụ: người có công
allowances) and BHXH's (pensions), as domain values.

On BHXH's list: Nguyễn Văn Đức (same personal number, name and birth year as on the Department's list: one person),
Lê Văn Tâm (dead on the Department's list since November: his pension after November is blocked), "Đặng Thị Hoa" with
Đặng Thị Huệ's number (a conflict), and Trần Văn Sáu without a number (matched by nothing).
"""

from __future__ import annotations

from dataclasses import replace

from app.domain.model import Beneficiary, EntitlementLine, Gender
from app.lists.parsed import ParsedList
from tests.builders.store import COMMUNE, DUC, HUE, PERIOD, POINT, TAM, line, lines, parsed_list, people

DEPARTMENT = "so_noi_vu"
BHXH = "bhxh"

DUC_BHXH = "2201000123"
TAM_BHXH = "2201000789"
HOA_BHXH = "2201000456"  # Đặng Thị Huệ's number, another name: a conflict
SAU_BHXH = "2201000999"  # no personal number


def department_lines(period: str = PERIOD) -> list[EntitlementLine]:
    """The Department's lines: the small commune's, without the pension (BHXH's list carries it)."""
    return [item for item in lines(period) if item.programme == "uu_dai"]


def department_list(period: str = PERIOD, *, the_lines: list[EntitlementLine] | None = None) -> ParsedList:
    chosen = the_lines if the_lines is not None else department_lines(period)
    return replace(parsed_list(period=period, the_lines=chosen, source=f"so-noi-vu-{period}.xlsx"),
                   agency=DEPARTMENT, row_of_line={})


def bhxh_people() -> list[Beneficiary]:
    duc, hue, tam = (next(person for person in people() if person.record_code == code) for code in (DUC, HUE, TAM))
    return [
        Beneficiary(DUC_BHXH, duc.full_name, COMMUNE, "HT", duc.birth_year, Gender.MALE, duc.id_number, duc.village,
                    POINT),
        Beneficiary(TAM_BHXH, tam.full_name, COMMUNE, "HT", tam.birth_year, Gender.MALE, tam.id_number, tam.village,
                    POINT),
        Beneficiary(HOA_BHXH, "Đặng Thị Hoa", COMMUNE, "TT", hue.birth_year, Gender.FEMALE, hue.id_number,
                    hue.village, POINT),
        Beneficiary(SAU_BHXH, "Trần Văn Sáu", COMMUNE, "MS", 1950, Gender.MALE, None, "Thôn Tây", POINT),
    ]


def bhxh_lines(period: str = PERIOD) -> list[EntitlementLine]:
    return [
        line(DUC_BHXH, "pension", 5_120_000, period=period, list_period=period, programme="luong_huu"),
        line(TAM_BHXH, "pension", 3_200_000, period=period, list_period=period, programme="luong_huu"),
        line(HOA_BHXH, "survivor", 2_100_000, period=period, list_period=period, programme="luong_huu"),
        line(SAU_BHXH, "pension", 2_400_000, period=period, list_period=period, programme="luong_huu"),
    ]


def bhxh_list(period: str = PERIOD, *, the_lines: list[EntitlementLine] | None = None,
              the_people: list[Beneficiary] | None = None) -> ParsedList:
    """BHXH's list of the commune, each line on its own row (rows 8, 9, … after the title rows and column numbers)."""
    chosen = the_lines if the_lines is not None else bhxh_lines(period)
    return replace(parsed_list(period=period, the_lines=chosen,
                               the_people=the_people if the_people is not None else bhxh_people(),
                               source=f"bhxh-{period}.xlsx"),
                   agency=BHXH, authorisations=(),
                   row_of_line={item.key: 8 + index for index, item in enumerate(chosen)})



def duc_december_keys() -> tuple[str, ...]:
    """Every line of Nguyễn Văn Đức's due in December on both lists (the convalescence too)."""
    return tuple(item.key for item in department_lines() if item.record_code == DUC) + \
        tuple(item.key for item in bhxh_lines() if item.record_code == DUC_BHXH)


__all__ = ["BHXH", "DEPARTMENT", "DUC", "DUC_BHXH", "HOA_BHXH", "HUE", "SAU_BHXH", "TAM", "TAM_BHXH", "bhxh_list",
           "bhxh_people", "department_list", "duc_december_keys"]
