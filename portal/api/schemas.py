"""Schemas shared by several API routes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Request bodies refuse unknown fields, so typos are reported, not ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ErrorBody(BaseModel):
    code: str
    message: str
    fields: dict[str, str] = Field(default_factory=dict)


class Error(BaseModel):
    error: ErrorBody


class PageQuery(BaseModel):
    page: int = Field(1, ge=1, le=100_000)
    per_page: int = Field(20, ge=1, le=100)


class FromRow(BaseModel):
    """Response models read straight from ORM rows: `Model.model_validate(row)`."""

    model_config = ConfigDict(from_attributes=True)


class PageInfo(BaseModel):
    page: int
    per_page: int
    total: int
    pages: int

    @classmethod
    def of(cls, page) -> PageInfo:
        """From a Flask-SQLAlchemy pagination."""
        return cls(page=page.page, per_page=page.per_page, total=page.total or 0, pages=page.pages)
