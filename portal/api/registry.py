"""The record of API operations that the OpenAPI document is built from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from portal.security import PUBLIC


@dataclass(frozen=True)
class Operation:
    rule: str
    method: str
    endpoint: str
    summary: str
    access: Any
    tags: tuple[str, ...] = ()
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    errors: tuple[int, ...] = field(default_factory=tuple)


OPERATIONS: list[Operation] = []


def api_route(
    rule: str,
    *,
    methods: Sequence[str] = ("GET",),
    summary: str,
    tags: Sequence[str] = (),
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
    response: type[BaseModel] | None = None,
    status: int = 200,
    errors: Sequence[int] = (),
) -> Callable[[Callable], Callable]:
    """Register `view` on the API blueprint. Put `@public` or `@roles_required` below it."""

    def decorate(view: Callable) -> Callable:
        from portal.api import bp

        access = getattr(view, "_access", None)
        if access is None:
            raise RuntimeError(f"API view {view.__name__} declares no access rule")
        bp.add_url_rule(rule, endpoint=view.__name__, view_func=view, methods=list(methods))
        for method in methods:
            OPERATIONS.append(
                Operation(
                    rule=rule,
                    method=method.lower(),
                    endpoint=f"api.{view.__name__}",
                    summary=summary,
                    access=access,
                    tags=tuple(tags),
                    body=body,
                    query=query,
                    response=response,
                    status=status,
                    errors=tuple(errors),
                )
            )
        return view

    return decorate


def is_public(operation: Operation) -> bool:
    return operation.access == PUBLIC
