"""The version of `acl-permissions`: static, bumped by hand at release.

See RELEASING in the root README.
"""

__version__ = "0.1.0"
