"""Deterministic, realistic Vietnamese people for benchmarks: names with diacritics, villages, codes, CCCD numbers.

Family names follow their rough national shares (Nguyễn about a third, then Trần, Lê, Phạm...), men mostly have the
middle name Văn and women Thị, so prefix searches like "ng" or "tr th h" are as broad as in the field.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

FAMILY: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 31.5), ("Trần", 10.9), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 5.1), ("Phan", 4.5), ("Vũ", 3.9),
    ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Võ", 1.5),
    ("Huỳnh", 1.2), ("Đinh", 1.0), ("Đào", 0.8), ("Đoàn", 0.7), ("Trịnh", 0.7), ("Lương", 0.6), ("Hà", 0.6),
    ("Mai", 0.5), ("Cao", 0.5), ("Lý", 0.5), ("Lâm", 0.4), ("Tạ", 0.3), ("Phùng", 0.3), ("Tô", 0.3), ("Chu", 0.3),
    ("Thái", 0.3), ("Triệu", 0.3), ("Lại", 0.3), ("Nông", 0.3), ("Vương", 0.2), ("Kiều", 0.2), ("Quách", 0.2),
    ("Hứa", 0.2), ("La", 0.2), ("Tăng", 0.2), ("Tống", 0.2), ("Ninh", 0.2), ("Thân", 0.2), ("Khổng", 0.1),
    ("Lục", 0.1), ("Mạc", 0.1), ("Giáp", 0.1), ("Văn", 0.2), ("Đàm", 0.2), ("Khúc", 0.1), ("Âu", 0.1),
)
MIDDLE_MALE: tuple[tuple[str, float], ...] = (
    ("Văn", 50), ("Đức", 6), ("Hữu", 5), ("Quang", 5), ("Minh", 4), ("Xuân", 4), ("Đình", 4), ("Công", 4),
    ("Ngọc", 3), ("Thanh", 3), ("Mạnh", 2), ("Trọng", 2), ("Duy", 2), ("Tiến", 2), ("Bá", 2), ("Huy", 1),
    ("Thế", 2), ("Khắc", 1), ("Viết", 1), ("Kim", 1),
)
MIDDLE_FEMALE: tuple[tuple[str, float], ...] = (
    ("Thị", 65), ("Ngọc", 5), ("Thu", 4), ("Thanh", 4), ("Kim", 3), ("Minh", 2), ("Bích", 2), ("Hồng", 3),
    ("Phương", 2), ("Thùy", 2), ("Mai", 2), ("Diệu", 1), ("Xuân", 3), ("Thúy", 2),
)
GIVEN_MALE = (
    "Đức", "Hùng", "Dũng", "Cường", "Hải", "Long", "Nam", "Sơn", "Tuấn", "Thắng", "Bình", "Minh", "Quang", "Thành",
    "Trung", "Tâm", "Hòa", "Phúc", "Lợi", "Nghĩa", "Khoa", "Toàn", "Tùng", "Vinh", "Hưng", "Thịnh", "Hiếu", "Chiến",
    "Kiên", "Lâm", "Lực", "Quyết", "Sáng", "Thuận", "Tiến", "Tú", "Việt", "Xuân", "An", "Bảo", "Chính", "Đạt",
    "Định", "Giang", "Hậu", "Huy", "Khánh", "Lộc", "Mạnh", "Phong", "Quý", "Tài", "Thái", "Thiện", "Trí",
    "Trường", "Vũ", "Vượng", "Đông", "Độ", "Đạo", "Khải", "Lịch", "Nhân", "Sử", "Tạo", "Thư", "Ước", "Yên",
)
GIVEN_FEMALE = (
    "Huệ", "Lan", "Mai", "Hoa", "Hương", "Hằng", "Hà", "Hạnh", "Hiền", "Hồng", "Liên", "Linh", "Loan", "Lý", "Nga",
    "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Sen", "Tâm", "Thảo", "Thu", "Thủy", "Trang", "Tuyết", "Vân", "Yến",
    "Xuân", "Bích", "Cúc", "Dung", "Duyên", "Đào", "Điệp", "Gấm", "Hòa", "Hợi", "Lành", "Lụa", "Mận", "Nụ", "Thắm",
    "Tươi", "Tuyền", "Uyên", "Vui", "Ánh", "Ngọc", "Nhàn", "Chắt", "Thơm", "Lựu", "Đượm", "Sửu", "Tý", "Dần",
)
VILLAGE_NAMES = (
    "Thôn Đông", "Thôn Tây", "Thôn Trung", "Thôn Nam", "Thôn Bắc", "Thôn Thượng", "Thôn Hạ", "Xóm Chợ", "Xóm Đình",
    "Xóm Trại", "Thôn Yên Hòa", "Thôn Đồng Tâm", "Thôn Tân Lập", "Thôn Quyết Tiến", "Thôn Thắng Lợi",
    "Thôn Đoàn Kết", "Thôn Cẩm La", "Thôn Bình Minh", "Thôn Khe Sú", "Thôn Đầm Hà", "Thôn Vạn Yên", "Thôn Cái Bầu",
    "Khu 1", "Khu 2", "Khu 3", "Khu 4", "Khu 5", "Khu 6", "Khu 7", "Khu 8", "Tổ 12", "Tổ 25",
)
COMMUNE_WORDS = (
    "Yên", "Đức", "Hồng", "Hải", "Quang", "Trung", "Hạ", "Long", "Bình", "Hòa", "Phong", "Cẩm", "Tân", "An",
    "Thịnh", "Vân", "Đồn", "Sơn", "Đông", "Minh", "Thủy", "Tiến", "Lợi", "Hưng", "Mông", "Dương", "Hoành", "Bồ",
)
CATEGORIES: tuple[tuple[str, float], ...] = (
    ("LS", 31), ("AQ", 22), ("TT", 15), ("HH", 11), ("BB", 7), ("BT", 5.5), ("CC", 2.5), ("KC", 1.5), ("BM", 1),
    ("TKN", 1), ("LT", 0.5), ("AH", 0.5), ("BQ", 1), ("CK", 0.5),
)
ERAS = ("CM", "CP", "TCM", "TCM", "TCM", "BV")


def _weighted(rng: random.Random, pairs: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([name for name, _ in pairs], weights=[weight for _, weight in pairs])[0]


@dataclass(frozen=True, slots=True)
class Person:
    record_code: str
    full_name: str
    family: str
    middle: str
    given: str
    female: bool
    birth: tuple[int, int, int]  # day, month, year
    id_number: str
    village: str

    def qr(self) -> str:
        """The chip ID card QR text for this person, as a scanner types it."""
        day, month, year = self.birth
        return (f"{self.id_number}|{self.id_number[3:12]}|{self.full_name}|{day:02d}{month:02d}{year}|"
                f"{'Nữ' if self.female else 'Nam'}|{self.village}, Quảng Ninh|15082021")


def commune_name(rng: random.Random) -> str:
    kind = rng.choice(("Xã", "Xã", "Xã", "Phường"))
    return f"{kind} {rng.choice(COMMUNE_WORDS)} {rng.choice(COMMUNE_WORDS)}"


def people(count: int, seed: int, province: str = "QNH", id_province: str = "022") -> list[Person]:
    """``count`` distinct people (unique record codes and CCCD numbers), the same for the same seed."""
    rng = random.Random(seed)
    numbers: dict[str, int] = {}
    ids: set[str] = set()
    result = []
    for _ in range(count):
        female = rng.random() < 0.45
        family = _weighted(rng, FAMILY)
        middle = _weighted(rng, MIDDLE_FEMALE if female else MIDDLE_MALE)
        given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
        if rng.random() < 0.08:  # a few four-word names: Nguyễn Thị Thu Hà
            given = f"{rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)} {given}"
        category = _weighted(rng, CATEGORIES)
        numbers[category] = numbers.get(category, 0) + 1
        code = f"{province}/{category}-{numbers[category]:05d}-{rng.choice(ERAS)}"
        year = rng.randint(1925, 1975)
        birth = (rng.randint(1, 28), rng.randint(1, 12), year)
        while True:
            id_number = f"{id_province}{1 if female else 0}{year % 100:02d}{rng.randrange(10**6):06d}"
            if id_number not in ids:
                ids.add(id_number)
                break
        result.append(Person(code, f"{family} {middle} {given}", family, middle, given, female, birth, id_number,
                             rng.choice(VILLAGE_NAMES)))
    return result
