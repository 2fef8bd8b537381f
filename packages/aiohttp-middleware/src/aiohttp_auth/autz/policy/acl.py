"""Skeleton: AbstractACLAutzPolicy lands once acl_permissions.ACLPolicy exists."""

__all__: list[str] = []
