"""Finding a person in a keystroke: folded name in any word order and by prefix, record code, ID number, village,
or a scan of the chip ID card's QR code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, text

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
    agency: str = ""
    """The agency whose list carries this record ("" for a record from before lists named their agency)."""
    grouped: tuple[tuple[str, str], ...] = ()
    """For a person with several records: every one as (record code, agency), this hit's first (else empty)."""

    @property
    def records(self) -> tuple[tuple[str, str], ...]:
        """Every record of the person as (record code, agency), this hit's first: a person on two agencies' lists is
        one hit, found by either record code, the name, the number or the QR."""
        return self.grouped or ((self.record_code, self.agency),)


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: tuple[PersonHit, ...]
    qr: IdCardQr | None = None
    """Set when the query was a chip ID card QR scan; ``hits`` is then the person with that ID (or empty)."""
    truncated: bool = False
    """More people match than were ranked: type more letters."""


_COLUMNS = ("b.record_code, b.full_name, b.birth_year, b.id_number, b.village, b.category, b.status, b.commune_code, "
            "b.point_id, b.agency")
_SAFE_TOKEN = re.compile(r"^[0-9a-z]+$")


def _hit(row: tuple[Any, ...]) -> PersonHit:
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
        agency=row[9] or "",
    )


def match_expression(query: str) -> str | None:
    """The FTS5 query for free text: every folded token as a prefix, in any order (None when nothing to search)."""
    tokens = [token for token in fold_tokens(query) if _SAFE_TOKEN.match(token)]
    if not tokens:
        return None
    return " AND ".join(f'"{token}"*' for token in tokens)


CANDIDATES = 200
"""How many index matches are ranked per query; a broader query returns the first ones by name and asks for more
letters (``SearchResult.truncated``)."""

_CANDIDATE_SQL = text(
    "SELECT rowid, name, codes, village FROM person_search WHERE person_search MATCH :q LIMIT :n"
)


def _score(tokens: list[str], name: str, codes: str, village: str) -> tuple[float, int, str]:
    """Rank a candidate the way a teller expects: whole name words, then name prefixes, codes, village."""
    name_words = name.split()
    code_words = codes.split()
    village_words = village.split()
    score = 0.0
    for token in tokens:
        if token in name_words:
            score += 3.0
        elif any(word.startswith(token) for word in name_words):
            score += 2.0
        elif any(word.startswith(token) for word in code_words):
            score += 1.5
        elif any(word.startswith(token) for word in village_words):
            score += 0.5
    if name.startswith(" ".join(tokens)):
        score += 1.0  # typed in the order of the name
    return (-score, len(name), name)


def rank_candidates(conn: Connection, query: str, limit: int) -> tuple[list[int], bool]:
    """Person ids for free text, best first, and whether the index had more matches than were ranked.

    Ranking at most ``CANDIDATES`` (200) matches in Python keeps a keystroke cheap even when a short prefix matches
    tens of thousands of names (scoring and sorting them all in SQL was 40 x slower than the index lookup).
    """
    expression = match_expression(query)
    if expression is None:
        return [], False
    tokens = [token for token in fold_tokens(query) if _SAFE_TOKEN.match(token)]
    rows = conn.execute(_CANDIDATE_SQL, {"q": expression, "n": CANDIDATES + 1}).all()
    truncated = len(rows) > CANDIDATES
    rows = rows[:CANDIDATES]
    ranked = sorted(rows, key=lambda row: _score(tokens, row[1], row[2], row[3]))
    return [row[0] for row in ranked[:limit]], truncated


def load_hits(conn: Connection, person_ids: list[int], where: str = "",
              params: Mapping[str, object] | None = None) -> list[PersonHit]:
    """The people with these ids, in the given order, optionally filtered by an extra SQL condition."""
    if not person_ids:
        return []
    placeholders = ", ".join(f":p{i}" for i in range(len(person_ids)))
    bound: dict[str, object] = {f"p{i}": person_id for i, person_id in enumerate(person_ids)}
    bound.update(params or {})
    sql = f"SELECT b.person_id, {_COLUMNS} FROM beneficiaries b WHERE b.person_id IN ({placeholders}) {where}"
    found = {row[0]: _hit(row[1:]) for row in conn.execute(text(sql), bound)}
    return [found[person_id] for person_id in person_ids if person_id in found]


_GROUPED_SQL = text(
    "SELECT g.record_code, m.record_code, b.agency FROM person_groups g "
    "JOIN person_groups m ON m.person_key = g.person_key JOIN beneficiaries b ON b.record_code = m.record_code "
    "WHERE g.record_code IN (SELECT value FROM json_each(:codes)) ORDER BY m.record_code"
)


def one_per_person(conn: Connection, hits: Sequence[PersonHit]) -> list[PersonHit]:
    """``hits`` with one hit per person — the best-ranked record of each — carrying every record of the person with
    its agency (a record from before lists named their agency: its lines' programme's). One indexed query for the
    grouped records among the hits; a record alone (most people) needs nothing more."""
    if not hits:
        return []
    group: dict[str, list[tuple[str, str]]] = {}
    for code, member, agency in conn.execute(_GROUPED_SQL, {"codes": json.dumps([hit.record_code for hit in hits])}):
        group.setdefault(code, []).append((member, agency or ""))
    out: list[PersonHit] = []
    seen: set[str] = set()
    for hit in hits:
        members = group.get(hit.record_code)
        if members is None:
            out.append(hit)
            continue
        key = members[0][0]  # the person key: the group's smallest record code
        if key in seen:
            continue
        seen.add(key)
        mine = next(member for member in members if member[0] == hit.record_code)
        out.append(replace(hit, grouped=(mine, *(member for member in members if member[0] != hit.record_code))))
    unnamed = {code for hit in out for code, agency in hit.records if not agency}
    if unnamed:
        out = _with_line_agencies(conn, out, unnamed)
    return out


def _with_line_agencies(conn: Connection, hits: list[PersonHit], codes: set[str]) -> list[PersonHit]:
    """Records from before lists named their agency: their lines' programme says it."""
    from app.lists.policy import load_policy

    policy = load_policy()
    found = {code: policy.agency_of(programme) for code, programme in conn.execute(text(
        "SELECT record_code, min(programme) FROM entitlement_lines WHERE record_code IN "
        "(SELECT value FROM json_each(:c)) GROUP BY record_code"), {"c": json.dumps(sorted(codes))})}
    return [replace(hit, agency=hit.agency or found.get(hit.record_code, ""),
                    grouped=tuple((code, agency or found.get(code, "")) for code, agency in hit.grouped))
            for hit in hits]


class SearchService:
    def __init__(self, store: Store) -> None:
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
        where, params = ("AND b.commune_code = :commune", {"commune": commune_code}) if commune_code else ("", {})
        with database.read(self.store.engine) as conn:
            code = conn.execute(
                text("SELECT person_id FROM beneficiaries WHERE record_code = :rc"), {"rc": compact.upper()}
            ).scalar()
            if code is not None:
                hits = load_hits(conn, [code], where, params)
                if hits:
                    return SearchResult(query, tuple(one_per_person(conn, hits)))
            ids, truncated = rank_candidates(conn, query, CANDIDATES if commune_code else limit)
            hits = one_per_person(conn, load_hits(conn, ids, where, params))[:limit]
        return SearchResult(query, tuple(hits), truncated=truncated)

    def by_id_number(self, id_number: str, commune_code: str | None = None) -> tuple[PersonHit, ...]:
        sql = f"SELECT {_COLUMNS} FROM beneficiaries b WHERE b.id_number = :id"
        params: dict[str, object] = {"id": id_number}
        if commune_code:
            sql += " AND b.commune_code = :commune"
            params["commune"] = commune_code
        with database.read(self.store.engine) as conn:
            return tuple(one_per_person(conn, [_hit(row) for row in conn.execute(text(sql), params)]))
