"""The one error a service raises for the user: the message says why, in words."""

from __future__ import annotations


class ServiceError(Exception):
    """An action could not be done; the message says why in words for the window."""
