"""An Exchange Web Services server on loopback, for the demo and for every sync test.

It speaks the SOAP of Exchange 2016 to any EWS client (exchangelib in Liaison) and imports
nothing from the rest of the application, so it can be lifted out as it is.
"""

from .server import SandboxServer
from .store import Store
from .versions import (
    EXCHANGE_2010_SP2,
    EXCHANGE_2013_SP1,
    EXCHANGE_2016,
    EXCHANGE_2019,
    EXCHANGE_ONLINE,
    ServerVersion,
)

__all__ = [
    "EXCHANGE_2010_SP2",
    "EXCHANGE_2013_SP1",
    "EXCHANGE_2016",
    "EXCHANGE_2019",
    "EXCHANGE_ONLINE",
    "SandboxServer",
    "ServerVersion",
    "Store",
]
