"""The package version: static, bumped by hand at release (see RELEASING)."""

__version__ = "0.1.0"
