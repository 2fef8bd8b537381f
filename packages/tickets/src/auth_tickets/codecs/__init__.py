"""Ticket wire formats behind one interface (`Codec`), chosen by configuration only."""

from .base import BoundCodec, Codec
from .hmac import HmacCodec
from .mod_auth_tkt import ModAuthTktCodec
from .ticket_auth import TicketAuthCodec

__all__ = ["BoundCodec", "Codec", "HmacCodec", "ModAuthTktCodec", "TicketAuthCodec"]
