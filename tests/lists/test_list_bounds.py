"""Every dimension of a list file is bounded before and while it is read, with a refusal a teller can act on.

The files are written as raw zipped XML (``tests/builders/hostile_lists.py``); the limits are the product's where
the test stays small (the packing ratio, macros, links), and smaller ``ListLimits`` where the product's would need
big files (rows, columns, tokens): the same code paths, proven on kilobytes.
"""

from __future__ import annotations

import dataclasses
import json
import struct
import zipfile
from pathlib import Path

import pytest

from app.domain.errors import BadInputError, ListImportError
from app.domain.policy import PolicyReference
from app.lists.limits import LIMITS, ListLimits
from app.lists.policy import load_policy
from app.lists.reader import read_list
from app.resources import resource_path
from tests.builders.hostile_lists import (
    GOOD_ROW,
    HEADER,
    MAIN,
    cell_bomb,
    csv_row_bomb,
    row_bomb,
    row_xml,
    valid_xlsx,
    with_external_link,
    with_macros,
    write_xlsx_parts,
)

NAME = HEADER.index("Họ và tên")
AMOUNT = HEADER.index("Số tiền (đồng)")


def refusal(path: Path, limits: ListLimits = LIMITS, **kwargs: object) -> BadInputError:
    with pytest.raises(BadInputError) as caught:
        read_list(path, limits=limits, **kwargs)  # type: ignore[arg-type]
    assert not isinstance(caught.value, ListImportError), caught.value.message("en")
    return caught.value


def row(**changes: object) -> tuple[object, ...]:
    values = list(GOOD_ROW)
    for column, value in changes.items():
        values[HEADER.index(column)] = value
    return tuple(values)


def good_rows(count: int, start: int = 2) -> bytes:
    return b"".join(row_xml(number, row(**{"Mã hồ sơ": f"QNH/LS-{number:05d}-TCM"}))
                    for number in range(start, start + count))


# --- the file and the zip --------------------------------------------------------------------------------------------


def test_a_valid_minimal_workbook_reads(tmp_path: Path) -> None:
    parsed = read_list(valid_xlsx(tmp_path / "ds.xlsx"))
    assert [(line.record_code, line.amount) for line in parsed.lines] == [("QNH/LS-00001-TCM", 2789000)]
    assert parsed.warnings == () and parsed.warnings_total == 0


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = valid_xlsx(tmp_path / "ds.xlsx")
    error = refusal(path, ListLimits(file_bytes=path.stat().st_size - 1))
    assert error.code == "list_file_too_large"
    assert "Tệp danh sách quá lớn" in error.message("vi") and "at most" in error.message("en")


def test_a_zip_of_too_many_parts_is_refused_from_its_end_record(tmp_path: Path) -> None:
    path = write_xlsx_parts(tmp_path / "ds.xlsx", row_xml(1, HEADER) + row_xml(2, GOOD_ROW),
                            extra_parts={f"xl/media/image{n}.png": b"x" for n in range(40)})
    assert refusal(path, ListLimits(zip_members=30)).code == "xlsx_too_many_parts"


def test_a_zip_bomb_part_is_refused_by_its_packing_ratio_without_unpacking_it(tmp_path: Path) -> None:
    path = cell_bomb(tmp_path / "bom.xlsx", 4)  # 4 MB of one letter packs about a thousand times
    error = refusal(path)
    assert error.code == "xlsx_ratio" and error.params["part"] == "xl/sharedStrings.xml"
    assert "bom zip" in error.message("vi") and "zip bomb" in error.message("en")


def test_a_part_larger_than_allowed_is_refused(tmp_path: Path) -> None:
    path = write_xlsx_parts(tmp_path / "ds.xlsx", row_xml(1, HEADER) + good_rows(200))
    error = refusal(path, ListLimits(member_bytes=4096))
    assert error.code == "xlsx_part_too_big" and error.params["part"] == "xl/worksheets/sheet1.xml"


def _shrink_declared_size(path: Path, part: str, size: int) -> None:
    """Make the zip's table of contents claim ``part`` unpacks to ``size`` bytes (a lying central directory)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(part)
    name = part.encode()
    at = 0
    while True:
        at = data.find(b"PK\x01\x02", at)
        assert at >= 0
        name_length = struct.unpack("<H", data[at + 28: at + 30])[0]
        if bytes(data[at + 46: at + 46 + name_length]) == name:
            break
        at += 4
    if info.file_size >= 0xFFFFFFFF or data[at + 24: at + 28] == b"\xff\xff\xff\xff":  # zip64: size in the extra
        extra_at = at + 46 + name_length
        assert data[extra_at: extra_at + 2] == b"\x01\x00"
        data[extra_at + 4: extra_at + 12] = struct.pack("<Q", size)
    else:
        data[at + 24: at + 28] = struct.pack("<I", size)
    path.write_bytes(bytes(data))


def test_a_central_directory_that_lies_about_a_size_is_not_trusted(tmp_path: Path) -> None:
    path = write_xlsx_parts(tmp_path / "ds.xlsx", row_xml(1, HEADER) + good_rows(50))
    _shrink_declared_size(path, "xl/worksheets/sheet1.xml", 100)
    assert refusal(path).code == "list_unreadable"  # the bytes past the claim are never read as the sheet


def test_external_links_are_refused(tmp_path: Path) -> None:
    error = refusal(with_external_link(tmp_path / "lien-ket.xlsx"))
    assert error.code == "xlsx_external_link"
    assert "liên kết" in error.message("vi") and "Break Link" in error.message("en")


def test_an_external_link_relationship_alone_is_refused(tmp_path: Path) -> None:
    rel = ('<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           'externalLink" Target="links/x.xml"/>')
    path = write_xlsx_parts(tmp_path / "ds.xlsx", row_xml(1, HEADER) + row_xml(2, GOOD_ROW), extra_rels=rel)
    assert refusal(path).code == "xlsx_external_link"


def test_macros_are_refused(tmp_path: Path) -> None:
    error = refusal(with_macros(tmp_path / "macro.xlsx"))
    assert error.code == "xlsx_macros" and "macro" in error.message("vi")


@pytest.mark.parametrize("part", ["xl/macrosheets/sheet1.xml", "xl/vbaProject.bin"])
def test_a_macro_part_alone_is_refused(tmp_path: Path, part: str) -> None:
    path = write_xlsx_parts(tmp_path / "ds.xlsx", row_xml(1, HEADER) + row_xml(2, GOOD_ROW),
                            extra_parts={part: b"<x/>"})
    assert refusal(path).code == "xlsx_macros"


# --- XML inside the parts ---------------------------------------------------------------------------------------------


def test_a_doctype_is_refused(tmp_path: Path) -> None:
    laughs = '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
    sheet = f'{laughs}<worksheet xmlns="{MAIN}"><sheetData>'.encode() + row_xml(1, HEADER) + b"</sheetData></worksheet>"
    path = write_xlsx_parts(tmp_path / "ds.xlsx", b"", extra_parts={"xl/worksheets/sheet1.xml": sheet})
    error = refusal(path)
    assert error.code == "list_unreadable" and "DOCTYPE" in error.message("vi")


@pytest.mark.parametrize("token", ["attribute", "comment"])
def test_a_token_the_parser_must_hold_whole_is_refused_past_its_limit(tmp_path: Path, token: str) -> None:
    big = "x" * 300_000
    noise = f'<row r="2" x="{big}"/>' if token == "attribute" else f"<!--{big}-->"
    path = write_xlsx_parts(tmp_path / "ds.xlsx", row_xml(1, HEADER) + noise.encode() + row_xml(3, GOOD_ROW))
    error = refusal(path, ListLimits(ratio=1_000_000, xml_token_bytes=64 * 1024))
    assert error.code == "xlsx_token_too_long"


def test_a_huge_cell_in_the_sheet_is_refused_naming_its_row_and_column(tmp_path: Path) -> None:
    path = cell_bomb(tmp_path / "o.xlsx", 3, shared=False)
    error = refusal(path, ListLimits(ratio=1_000_000))  # the ratio would stop it first: the cell check alone here
    assert error.code == "list_cell_bomb" and (error.params["row"], error.params["column"]) == ("2", "B")
    assert error.message("vi").startswith("Dòng 2, cột B: một ô dài hơn 1 MB")


def test_a_huge_shared_text_is_refused(tmp_path: Path) -> None:
    error = refusal(cell_bomb(tmp_path / "o.xlsx", 3), ListLimits(ratio=1_000_000))
    assert error.code == "list_text_bomb" and "500 ký tự" in error.message("vi")


def test_a_cell_over_the_character_limit_is_a_row_error_among_the_others(tmp_path: Path) -> None:
    long_name = "Nguyễn " * 80  # 560 characters
    rows = (row_xml(1, HEADER) + row_xml(2, row(**{"Họ và tên": long_name}))
            + row_xml(3, row(**{"Mã hồ sơ": "QNH/LS-2", "Số tiền (đồng)": "nhiều"})))
    with pytest.raises(ListImportError) as caught:
        read_list(write_xlsx_parts(tmp_path / "ds.xlsx", rows))
    assert [(error.row, error.column, error.code) for error in caught.value.errors] == [
        (2, "Họ và tên", "cell_too_long"), (3, "Số tiền (đồng)", "bad_amount")]
    assert "quá 500 ký tự" in caught.value.errors[0].message("vi")


def test_a_long_csv_cell_is_a_row_error(tmp_path: Path) -> None:
    path = tmp_path / "ds.csv"
    path.write_text(",".join(HEADER) + "\n" + ",".join(str(v) for v in row(**{"Họ và tên": "A" * 501})) + "\n",
                    encoding="utf-8")
    with pytest.raises(ListImportError) as caught:
        read_list(path)
    assert [(error.row, error.code) for error in caught.value.errors] == [(2, "cell_too_long")]


# --- rows and columns -------------------------------------------------------------------------------------------------


def test_a_row_bomb_is_refused_by_counting_before_any_row_is_read(tmp_path: Path) -> None:
    error = refusal(row_bomb(tmp_path / "rows.xlsx", 5_000), ListLimits(rows=1_000))
    assert error.code == "list_too_many_rows" and "1.000 dòng" in error.message("vi")


def test_a_csv_row_bomb_is_refused_by_counting_first(tmp_path: Path) -> None:
    error = refusal(csv_row_bomb(tmp_path / "rows.csv", 5_000), ListLimits(rows=1_000))
    assert error.code == "list_too_many_rows"


def test_a_far_row_number_is_refused(tmp_path: Path) -> None:
    path = write_xlsx_parts(tmp_path / "ds.xlsx", row_xml(1, HEADER) + row_xml(2, GOOD_ROW)
                            + row_xml(1_048_576, ("x",)))
    error = refusal(path)
    assert error.code == "list_too_many_rows_at" and error.params["row"] == "1.048.576"


def test_a_value_beyond_the_column_limit_is_refused_naming_the_cell(tmp_path: Path) -> None:
    far = tuple(GOOD_ROW) + (None,) * 300 + ("x",)
    error = refusal(write_xlsx_parts(tmp_path / "ds.xlsx", row_xml(1, HEADER) + row_xml(2, far)))
    assert error.code == "list_too_many_columns" and (error.params["row"], error.params["column"]) == ("2", "KV")
    csv_path = tmp_path / "ds.csv"
    csv_path.write_text(",".join(HEADER) + "\n" + ",".join(str(v) for v in GOOD_ROW) + "," * 300 + "x\n",
                        encoding="utf-8")
    assert refusal(csv_path).code == "list_too_many_columns"


def test_an_unclosed_csv_quote_is_refused_instead_of_swallowing_the_file(tmp_path: Path) -> None:
    path = tmp_path / "ds.csv"
    lines = [",".join(HEADER), '"QNH/LS-1,Nguyễn Văn A,Xã X,LS,Trợ cấp hằng tháng,12/2026,100']
    lines += [",".join(str(v) for v in row(**{"Mã hồ sơ": f"QNH/LS-{n}"})) for n in range(2, 3000)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = refusal(path)
    assert error.code == "list_record_too_long" and error.params["row"] == "2"
    assert "ngoặc kép" in error.message("vi")


# --- errors and warnings are bounded ----------------------------------------------------------------------------------


def test_errors_are_listed_up_to_the_limit_and_the_rest_counted(tmp_path: Path) -> None:
    path = csv_row_bomb(tmp_path / "bad.csv", 1_000)
    with pytest.raises(ListImportError) as caught:
        read_list(path)
    error = caught.value
    assert len(error.errors) == 200 and error.total > 1_000 and error.more == error.total - 200
    assert [item.row for item in error.errors] == sorted(item.row for item in error.errors)
    assert error.errors[0].row == 2 and error.errors[-1].row < 100
    text = error.message("vi")
    assert text.startswith(f"Danh sách có {error.total} lỗi") and f"… và {error.more} lỗi khác" in text


def test_a_zero_amount_imports_with_a_warning_naming_row_and_column(tmp_path: Path) -> None:
    rows = row_xml(1, HEADER) + row_xml(2, GOOD_ROW) + row_xml(3, row(**{"Mã hồ sơ": "QNH/LS-2", AMOUNT_H: 0}))
    parsed = read_list(write_xlsx_parts(tmp_path / "ds.xlsx", rows))
    assert [line.amount for line in parsed.lines] == [2789000, 0]
    assert [(w.row, w.column, w.code) for w in parsed.warnings] == [(3, "Số tiền (đồng)", "zero_amount_listed")]
    assert parsed.warnings[0].message("vi") == ("Dòng 3, cột «Số tiền (đồng)»: không thể chi như danh sách ghi: "
                                                "số tiền bằng 0")
    assert parsed.warnings[0].message("en").endswith("cannot be paid as listed: the amount is 0")


AMOUNT_H = HEADER[AMOUNT]


def test_warnings_are_bounded_too(tmp_path: Path) -> None:
    rows = row_xml(1, HEADER) + b"".join(
        row_xml(n, row(**{"Mã hồ sơ": f"QNH/LS-{n}", AMOUNT_H: 0})) for n in range(2, 12))
    parsed = read_list(write_xlsx_parts(tmp_path / "ds.xlsx", rows), limits=ListLimits(warnings_kept=3))
    assert [w.row for w in parsed.warnings] == [2, 3, 4] and parsed.warnings_total == 10
    assert parsed.warnings_more == 7


@pytest.mark.parametrize("amount", [-1, "-2.789.000", 10**20, "1.000.000.001"])
def test_amounts_outside_zero_to_the_ceiling_are_row_errors(tmp_path: Path, amount: object) -> None:
    path = tmp_path / "ds.csv"
    path.write_text(",".join(HEADER) + "\n" + ",".join(str(v) for v in row(**{AMOUNT_H: amount})) + "\n",
                    encoding="utf-8")
    with pytest.raises(ListImportError) as caught:
        read_list(path)
    assert [(e.row, e.column, e.code) for e in caught.value.errors] in (
        [(2, AMOUNT_H, "negative_amount")], [(2, AMOUNT_H, "amount_above_ceiling")])


def test_the_line_ceiling_is_policy_data(tmp_path: Path) -> None:
    bundled = resource_path("policy")
    folder = tmp_path / "policy"
    folder.mkdir()
    for name in ("categories.json", "regimes.json"):
        (folder / name).write_bytes((bundled / name).read_bytes())
    (folder / "limits.json").write_text(json.dumps({"max_line_amount": 2_000_000}), encoding="utf-8")
    policy: PolicyReference = load_policy(folder)
    assert policy.max_line_amount == 2_000_000 and load_policy().max_line_amount == 1_000_000_000
    with pytest.raises(ListImportError) as caught:
        read_list(valid_xlsx(tmp_path / "ds.xlsx"), policy=policy)
    assert caught.value.errors[0].code == "amount_above_ceiling"
    assert "2.000.000 ₫" in caught.value.errors[0].message("vi")
    (folder / "limits.json").write_text(json.dumps({"max_line_amount": 2**63}), encoding="utf-8")
    load_policy.cache_clear()
    with pytest.raises(ValueError, match="max_line_amount"):
        load_policy(folder)


def test_limits_are_named_in_one_place() -> None:
    fields = {field.name for field in dataclasses.fields(ListLimits)}
    assert {"file_bytes", "rows", "columns", "cell_chars", "errors_kept", "zip_members", "member_bytes",
            "unpacked_bytes", "ratio", "xml_token_bytes"} <= fields
    assert LIMITS.cell_chars <= 1000 and LIMITS.errors_kept == 200
