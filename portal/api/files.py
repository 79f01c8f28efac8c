"""Stored files through the API: the download, under the same rule as the page."""

from __future__ import annotations

from portal import uploads
from portal.api.registry import api_route
from portal.security import current_actor, logged_in


@api_route(
    "/files/<uid>",
    summary="Download a stored file (404 unless the domain that owns it lets the caller see it)",
    tags=["files"],
    errors=(404,),
)
@logged_in
def download_file(uid: str):
    return uploads.send_stored(uploads.file_for_download(current_actor(), uid))
