"""Microsoft Graph v1.0 over the sandbox's mailboxes: the mail, calendar and To Do endpoints a
Graph client uses, with Graph's JSON shapes, paging, delta queries and error bodies."""

from .tokens import TokenBook

__all__ = ["TokenBook"]
