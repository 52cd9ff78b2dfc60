"""An Exchange Web Services server on loopback, for the demo and for every sync test.

It speaks the SOAP of Exchange 2016 to any EWS client (exchangelib in Liaison) and imports
nothing from the rest of the application, so it can be lifted out as it is.
"""

from .server import SandboxServer
from .soap import ServerVersion
from .store import Store

__all__ = ["SandboxServer", "ServerVersion", "Store"]
