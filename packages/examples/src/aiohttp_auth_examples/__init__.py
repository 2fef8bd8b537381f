"""Example apps for ``aiohttp_auth``, run by the integration suite.

* :mod:`.getting_started`: the original getting-started document's app;
* :mod:`.session_app`: the same app with the ticket in an aiohttp-session session;
* :mod:`.resource_tree`: per-object permissions through ``__acl__`` / ``__parent__``;
* :mod:`.redis_backed`: the first two with revocation (and sessions) in Redis, and
  :mod:`.workers`: several worker processes on one port (``--workers``, ``--redis``).

``python -m aiohttp_auth_examples --help`` runs any of them.
"""

from .__about__ import __version__

__all__ = ["__version__"]
