"""The public sections that the header and the home page link to.

Domains add their sections with `add_section`; a section shows only once its
endpoint exists, so the home page never links to a page that is not there.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Section:
    endpoint: str
    title: object
    description: object
    in_header: bool = True
    order: int = 50


SECTIONS: list[Section] = [
    Section(
        "members.directory",
        _l("Member directory"),
        _l("Search approved agencies by region, type and approved scope."),
        order=10,
    ),
    Section(
        "ratings.index",
        _l("Ratings and credit"),
        _l("Star ratings and credit grades, with the published formula."),
        order=20,
    ),
    Section(
        "publication.blacklist",
        _l("Blacklist"),
        _l("Agencies under a serious sanction in their publication term."),
        order=30,
    ),
    Section(
        "publication.decisions",
        _l("Decisions"),
        _l("Disciplinary decisions and the results of appeals."),
        order=40,
    ),
    Section(
        "public_register.committees",
        _l("Committees"),
        _l("Committee composition and resolutions."),
        in_header=False,
        order=50,
    ),
    Section(
        "complaints.new",
        _l("File a complaint"),
        _l("Complain about an agency online, with or without an account."),
        order=60,
    ),
    Section(
        "complaints.track",
        _l("Track a complaint"),
        _l("Follow a complaint with its tracking number and receipt code."),
        in_header=False,
        order=70,
    ),
]


# Each role's workspace links; domains add theirs. Keyed by role value.
WORKSPACE_TILES: dict[str, list[Section]] = {
    "admin": [
        Section(
            "admin.users",
            _l("Users and roles"),
            _l("Create accounts, change roles, disable access."),
            order=10,
        )
    ],
}

WORKSPACE_HEADINGS = {
    "worker": _l("Worker workspace"),
    "member": _l("Agency workspace"),
    "staff": _l("Secretariat workspace"),
    "committee": _l("Committee workspace"),
    "admin": _l("Administration"),
}


def add_tile(role: str, section: Section) -> None:
    WORKSPACE_TILES.setdefault(role, []).append(section)


def workspace(role: str, app: Flask | None = None) -> tuple[object, list[Section]]:
    """The heading and the links of a role's workspace page."""
    app = app or current_app
    tiles = [t for t in WORKSPACE_TILES.get(role, []) if t.endpoint in app.view_functions]
    return WORKSPACE_HEADINGS[role], sorted(tiles, key=lambda t: t.order)


def available_sections(app: Flask | None = None) -> list[Section]:
    app = app or current_app
    return sorted((s for s in SECTIONS if s.endpoint in app.view_functions), key=lambda s: s.order)


def register(app: Flask) -> None:
    @app.context_processor
    def _inject_nav():
        sections = available_sections(app)
        return {
            "public_sections": sections,
            "public_nav": [(s.endpoint, s.title) for s in sections if s.in_header],
        }
