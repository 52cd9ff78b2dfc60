"""Every Graph endpoint module; importing this registers their routes (delta routes before
the routes whose id segment would otherwise take "delta")."""

from . import batch, calendar, events, folders, me, messages, todo, translate

__all__ = ["batch", "calendar", "events", "folders", "me", "messages", "todo", "translate"]
