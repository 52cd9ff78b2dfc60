"""The EWS operations the sandbox answers, and the per-message error handling they share."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from lxml import etree

from ..context import Context
from ..errors import EwsError
from ..soap import direct_response, failure, operation_response, success

Handler = Callable[[Context, etree._Element], str]
StreamingHandler = Callable[[Context, etree._Element], Iterator[str]]

HANDLERS: dict[str, Handler] = {}
STREAMING_HANDLERS: dict[str, StreamingHandler] = {}

T = TypeVar("T")


def operation(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[name] = handler
        return handler

    return register


def streaming_operation(name: str) -> Callable[[StreamingHandler], StreamingHandler]:
    def register(handler: StreamingHandler) -> StreamingHandler:
        STREAMING_HANDLERS[name] = handler
        return handler

    return register


def each(
    name: str,
    elements: Iterable[T],
    handle: Callable[[T], str],
    error_inner: str = "",
) -> str:
    """One response message per request element; an EwsError fails only its own message."""
    messages = []
    for elem in elements:
        try:
            messages.append(success(name, handle(elem)))
        except EwsError as error:
            messages.append(failure(name, error, error_inner))
    return operation_response(name, messages)


def single(name: str, handle: Callable[[], str], error_inner: str = "") -> str:
    return each(name, [None], lambda _: handle(), error_inner)


def direct(name: str, handle: Callable[[], str], tag: str = "") -> str:
    """An operation whose response (`<name>Response`, or `tag`) is its one response message; an
    EwsError fails it."""
    tag = tag or f"{name}Response"
    try:
        return direct_response(tag, inner=handle())
    except EwsError as error:
        return direct_response(tag, error)
