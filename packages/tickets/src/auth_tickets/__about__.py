"""The version of `auth-tickets`: static, bumped by hand at release (see the root README)."""

__version__ = "0.1.0"
