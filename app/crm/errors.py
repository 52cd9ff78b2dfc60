"""Errors of the CRM services; their messages are shown to the user as they are."""


class CrmError(Exception):
    """A request the CRM cannot carry out: unknown record, bad value, conflicting data."""
