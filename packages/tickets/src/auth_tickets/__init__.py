"""`auth-tickets`: signed, expiring login tickets with key rotation and legacy formats.

Stdlib only. The names below are the package's whole public interface; the
aiohttp middleware imports nothing else (see CONTRIBUTING.md).
"""

from .__about__ import __version__
from .claims import TOKEN_PATTERN
from .codecs import Codec, HmacCodec, ModAuthTktCodec, TicketAuthCodec
from .compat import TicketFactory, TicketInfo
from .errors import (
    InsecureHashWarning,
    TicketDigestError,
    TicketError,
    TicketExpired,
    TicketParseError,
    WeakSecretWarning,
)
from .ip import normalize_ip
from .keys import MAX_SECRETS, MIN_SECRET_BYTES, generate_secret
from .signer import TicketSigner, VerifiedTicket

__all__ = [
    "MAX_SECRETS",
    "MIN_SECRET_BYTES",
    "TOKEN_PATTERN",
    "Codec",
    "HmacCodec",
    "InsecureHashWarning",
    "ModAuthTktCodec",
    "TicketAuthCodec",
    "TicketDigestError",
    "TicketError",
    "TicketExpired",
    "TicketFactory",
    "TicketInfo",
    "TicketParseError",
    "TicketSigner",
    "VerifiedTicket",
    "WeakSecretWarning",
    "__version__",
    "generate_secret",
    "normalize_ip",
]
