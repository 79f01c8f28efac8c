"""The caller's own notifications through the API: list, mark one read, mark all read."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from portal import notifications as service
from portal.api.registry import api_route
from portal.api.schemas import FromRow, PageInfo, PageQuery
from portal.api.validation import parse_query
from portal.extensions import db
from portal.security import current_actor, logged_in


class NotificationOut(FromRow):
    id: int
    kind: str
    title: str
    body: str
    link: str | None = Field(description="A path within the portal, if the notification has one")
    created_at: datetime
    read_at: datetime | None


class NotificationList(BaseModel):
    items: list[NotificationOut]
    page: PageInfo
    unread: int = Field(description="How many of the caller's notifications are unread")


class NotificationQuery(PageQuery):
    unread_only: bool = Field(False, description="Only the unread ones")


class ReadAllOut(BaseModel):
    marked: int
    unread: int


@api_route(
    "/notifications",
    summary="The caller's notifications, unread first",
    tags=["notifications"],
    query=NotificationQuery,
    response=NotificationList,
)
@logged_in
def list_notifications():
    query = parse_query(NotificationQuery)
    actor = current_actor()
    stmt = service.notifications_of(actor)
    if query.unread_only:
        stmt = stmt.where(service.Notification.read_at.is_(None))
    page = db.paginate(stmt, page=query.page, per_page=query.per_page, error_out=False)
    return NotificationList(
        items=[NotificationOut.model_validate(note) for note in page.items],
        page=PageInfo.of(page),
        unread=service.unread_count(actor),
    ).model_dump(mode="json")


@api_route(
    "/notifications/<int:notification_id>/read",
    methods=["POST"],
    summary="Mark one of the caller's notifications read",
    tags=["notifications"],
    response=NotificationOut,
    errors=(404,),
)
@logged_in
def read_notification(notification_id: int):
    note = service.mark_read(current_actor(), notification_id)
    db.session.commit()
    return NotificationOut.model_validate(note).model_dump(mode="json")


@api_route(
    "/notifications/read-all",
    methods=["POST"],
    summary="Mark all of the caller's notifications read",
    tags=["notifications"],
    response=ReadAllOut,
)
@logged_in
def read_all_notifications():
    marked = service.mark_all_read(current_actor())
    db.session.commit()
    return ReadAllOut(marked=marked, unread=0).model_dump()
