"""The console's menu: one entry per page, in the order officers read them, and who may see each."""

from __future__ import annotations

from dataclasses import dataclass

from server.web import auth


@dataclass(frozen=True, slots=True)
class NavItem:
    """A menu entry: the text key of its label (``server.web.i18n.T``), its path under ``/console``, and who sees it
    (``everyone``, ``province``: officers of the whole province and admins, ``admin``)."""

    key: str
    url: str
    audience: str = "everyone"

    def shown_to(self, officer: auth.Officer) -> bool:
        if self.audience == "admin":
            return officer.is_admin
        if self.audience == "province":
            return officer.is_admin or officer.is_province
        return True


NAV: tuple[NavItem, ...] = (
    NavItem("progress", "/progress"),
    NavItem("flags", "/flags"),
    NavItem("amend", "/amend"),
    NavItem("contradictions", "/contradictions"),
    NavItem("persons", "/persons"),
    NavItem("year_report", "/year-report"),
    NavItem("deadlines", "/deadlines"),
    NavItem("policy", "/policy"),
    NavItem("postings", "/postings"),
    NavItem("survey", "/survey"),
    NavItem("lists", "/lists", "province"),
    NavItem("devices", "/devices"),
    NavItem("staff", "/staff", "admin"),
    NavItem("audit", "/audit", "province"),
    NavItem("reports", "/reports"),
)


def menu(officer: auth.Officer | None) -> list[NavItem]:
    """The entries ``officer`` sees (none before signing in)."""
    return [item for item in NAV if officer is not None and item.shown_to(officer)]
