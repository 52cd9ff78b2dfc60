"""The EWS operations; importing this package registers every handler."""

from . import (
    attachments,
    directory,
    finding,
    folders,
    items,
    subscriptions,
    sync,
    userconfig,
)
from .registry import HANDLERS, STREAMING_HANDLERS

__all__ = [
    "HANDLERS",
    "STREAMING_HANDLERS",
    "attachments",
    "directory",
    "finding",
    "folders",
    "items",
    "subscriptions",
    "sync",
    "userconfig",
]
