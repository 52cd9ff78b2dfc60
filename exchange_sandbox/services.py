"""The long-lived collaborators operations share, created once per server."""

from __future__ import annotations

from dataclasses import dataclass

from .calendar import CalendarEngine
from .notifications import NotificationHub
from .push import PushDispatcher
from .render import ItemRenderer
from .transport import Transport


@dataclass
class Services:
    calendar: CalendarEngine
    transport: Transport
    notifications: NotificationHub
    push: PushDispatcher
    renderer: ItemRenderer
