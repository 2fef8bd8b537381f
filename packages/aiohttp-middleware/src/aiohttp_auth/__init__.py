"""`aiohttp-auth-middleware`: work in progress; nothing here is usable yet."""

from .__about__ import __version__

__all__ = ["__version__"]
