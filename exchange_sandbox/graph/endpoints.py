"""Every Graph endpoint module; importing this registers their routes."""

from . import me

__all__ = ["me"]
