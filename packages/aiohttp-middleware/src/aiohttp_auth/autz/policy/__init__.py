"""Ready-made authorization policies (``acl``)."""
