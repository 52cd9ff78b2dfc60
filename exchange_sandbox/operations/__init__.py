"""The EWS operations; importing this package registers every handler."""

from . import (
    attachments,
    delegates,
    directory,
    filing,
    finding,
    folders,
    items,
    mailtips,
    people,
    rules,
    subscriptions,
    sync,
    transfer,
    userconfig,
)
from .registry import HANDLERS, STREAMING_HANDLERS

__all__ = [
    "HANDLERS",
    "STREAMING_HANDLERS",
    "attachments",
    "delegates",
    "directory",
    "filing",
    "finding",
    "folders",
    "items",
    "mailtips",
    "people",
    "rules",
    "subscriptions",
    "sync",
    "transfer",
    "userconfig",
]
