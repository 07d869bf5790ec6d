"""Finding a person in a keystroke: folded name in any word order and by prefix, record code, ID number, village,
or a scan of the chip ID card's QR code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import text

from app.domain.idcard import IdCardQr, IdCardQrError, is_id_number, looks_like_id_card_qr, parse_id_card_qr
from app.domain.model import BeneficiaryStatus
from app.domain.text import fold_tokens
from app.store import database

if TYPE_CHECKING:
    from app.store.store import Store


@dataclass(frozen=True, slots=True)
class PersonHit:
    record_code: str
    full_name: str
    birth_year: int | None
    id_number: str | None
    village: str | None
    category: str
    status: BeneficiaryStatus
    commune_code: str
    point_id: str | None


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[PersonHit, ...]
    qr: IdCardQr | None = None
    """Set when the query was a chip ID card QR scan; ``hits`` is then the person with that ID (or empty)."""


_COLUMNS = "b.record_code, b.full_name, b.birth_year, b.id_number, b.village, b.category, b.status, b.commune_code, b.point_id"
_SAFE_TOKEN = re.compile(r"^[0-9a-z]+$")


def _hit(row: tuple) -> PersonHit:
    return PersonHit(
        record_code=row[0],
        full_name=row[1],
        birth_year=row[2],
        id_number=row[3],
        village=row[4],
        category=row[5],
        status=BeneficiaryStatus(row[6]),
        commune_code=row[7],
        point_id=row[8],
    )


def match_expression(query: str) -> str | None:
    """The FTS5 query for free text: every folded token as a prefix, in any order (None when nothing to search)."""
    tokens = [token for token in fold_tokens(query) if _SAFE_TOKEN.match(token)]
    if not tokens:
        return None
    return " AND ".join(f'"{token}"*' for token in tokens)


class SearchService:
    def __init__(self, store: "Store") -> None:
        self.store = store

    def search(self, query: str, limit: int = 50, commune_code: str | None = None) -> SearchResult:
        """People matching ``query``; a chip ID card QR string finds its person by the ID number alone."""
        if looks_like_id_card_qr(query):
            try:
                card = parse_id_card_qr(query)
            except IdCardQrError:
                card = None
            if card is not None:
                return SearchResult(query, self.by_id_number(card.id_number, commune_code), card)
        compact = query.strip().replace(" ", "")
        if is_id_number(compact):
            exact = self.by_id_number(compact, commune_code)
            if exact:
                return SearchResult(query, exact)
        expression = match_expression(query)
        if expression is None:
            return SearchResult(query, ())
        where = "person_search MATCH :q"
        params: dict[str, object] = {"q": expression, "limit": limit}
        if commune_code:
            where += " AND b.commune_code = :commune"
            params["commune"] = commune_code
        sql = text(
            f"SELECT {_COLUMNS} FROM person_search JOIN beneficiaries b ON b.person_id = person_search.rowid "
            f"WHERE {where} ORDER BY bm25(person_search, 10.0, 5.0, 1.0), b.full_name LIMIT :limit"
        )
        with database.read(self.store.engine) as conn:
            rows = conn.execute(sql, params).all()
        return SearchResult(query, tuple(_hit(row) for row in rows))

    def by_id_number(self, id_number: str, commune_code: str | None = None) -> tuple[PersonHit, ...]:
        sql = f"SELECT {_COLUMNS} FROM beneficiaries b WHERE b.id_number = :id"
        params: dict[str, object] = {"id": id_number}
        if commune_code:
            sql += " AND b.commune_code = :commune"
            params["commune"] = commune_code
        with database.read(self.store.engine) as conn:
            return tuple(_hit(row) for row in conn.execute(text(sql), params))
