"""ACLPolicy: the framework-free base that aiohttp_auth's ACL policy builds on."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import acl_permissions as acl
from acl_permissions import ALL_PERMISSIONS, Allow, Deny, Everyone

SEED = [
    (Allow, "guest", {"view"}),
    (Deny, "guest", {"edit"}),
    (Allow, "staff", {"view", "edit", "admin_view"}),
    (Allow, Everyone, {"view_home"}),
]
DB = {"bob": ["guest", "staff"], "alice": ["guest"]}


class SyncPolicy(acl.ACLPolicy):
    def acl_groups(self, identity: object) -> Any:
        return DB.get(identity, ()) if isinstance(identity, str) else ()


class AsyncPolicy(acl.ACLPolicy):
    def __init__(self, db: dict[str, Any], context: Any = None) -> None:
        super().__init__(context)  # the seed's subclass shape
        self.db = db

    async def acl_groups(self, identity: object) -> Any:
        await asyncio.sleep(0)
        if identity == "mallory":
            return None
        return self.db.get(identity, ()) if isinstance(identity, str) else ()


def permit(policy: acl.ACLPolicy, *args: Any, **kwargs: Any) -> acl.Decision:
    return asyncio.run(policy.permit(*args, **kwargs))


@pytest.mark.parametrize("policy", [SyncPolicy(SEED), AsyncPolicy(DB, SEED)])
@pytest.mark.parametrize(
    ("identity", "permission", "allowed"),
    [
        (None, "view_home", True),
        (None, "view", False),
        ("alice", "view", True),
        ("alice", "admin_view", False),
        ("bob", "admin_view", True),
        ("bob", "edit", False),
    ],
)
def test_seed_transcript_decisions(
    policy: Any, identity: Any, permission: str, allowed: bool
) -> None:
    decision = permit(policy, identity, permission)
    assert isinstance(decision, acl.Decision)
    assert bool(decision) is allowed


def test_none_from_acl_groups_denies_even_everyones_permissions() -> None:
    decision = permit(AsyncPolicy(DB, SEED), "mallory", "view_home")
    assert not decision
    assert "returned None" in str(decision)


def test_local_context_overrides_the_global_one() -> None:
    policy = SyncPolicy(SEED)
    assert permit(policy, "alice", "edit", [(Allow, "guest", {"edit"})])
    assert not permit(policy, "alice", "edit")
    assert not permit(policy, "alice", "view", [])  # an empty list is a context: deny all


def test_local_context_may_be_compiled_or_a_resource(resource: type) -> None:
    policy = SyncPolicy()
    assert permit(policy, "alice", "edit", acl.compile_acl([(Allow, "guest", {"edit"})]))
    root = resource("root", None, [(Allow, "guest", ALL_PERMISSIONS)])
    leaf = resource("leaf", root, [(Deny, "guest", {"delete"})])
    assert permit(policy, "alice", "edit", leaf)
    assert not permit(policy, "alice", "delete", leaf)


def test_no_context_anywhere_is_a_runtime_error_that_says_how_to_fix_it() -> None:
    with pytest.raises(RuntimeError, match=r"pass context= to permit\(\).*policy.context"):
        permit(SyncPolicy(), "alice", "view")


def test_context_is_a_property_that_compiles_on_assignment() -> None:
    policy = SyncPolicy()
    assert policy.context is None
    policy.context = SEED  # type: ignore[assignment]
    assert isinstance(policy.context, acl.CompiledACL)
    assert list(policy.context) == SEED
    assert permit(policy, "bob", "admin_view")
    policy.context = [(Deny, "staff", ALL_PERMISSIONS)]  # type: ignore[assignment]
    assert not permit(policy, "bob", "admin_view")
    policy.context = None
    with pytest.raises(RuntimeError):
        permit(policy, "bob", "admin_view")


def test_global_context_is_a_snapshot_and_cannot_be_appended_to_by_mistake() -> None:
    entries = list(SEED)
    policy = SyncPolicy(entries)
    entries.insert(0, (Deny, Everyone, ALL_PERMISSIONS))
    assert permit(policy, None, "view_home")  # the snapshot did not change
    with pytest.raises(AttributeError):
        policy.context.append((Deny, Everyone, ALL_PERMISSIONS))  # type: ignore[union-attr]


def test_per_call_plain_lists_are_re_read_every_call() -> None:
    policy = SyncPolicy()
    context = [(Allow, "guest", {"view"})]
    assert permit(policy, "alice", "view", context)
    context.insert(0, (Deny, "guest", {"view"}))
    assert not permit(policy, "alice", "view", context)


def test_I5_an_exception_from_acl_groups_propagates_and_never_grants() -> None:
    class Broken(acl.ACLPolicy):
        async def acl_groups(self, identity: object) -> Any:
            raise ConnectionError("user store down")

    with pytest.raises(ConnectionError, match="user store down"):
        permit(Broken([(Allow, Everyone, ALL_PERMISSIONS)]), "alice", "anything")


def test_acl_groups_is_abstract() -> None:
    with pytest.raises(TypeError, match="abstract"):
        acl.ACLPolicy()  # type: ignore[abstract]


def test_a_subclass_can_mix_in_another_abc() -> None:
    import abc

    class AbstractAutzPolicy(abc.ABC):
        @abc.abstractmethod
        async def permit(self, identity: object, permission: object, context: object = None) -> Any:
            """Another framework's interface."""

    class Both(acl.ACLPolicy, AbstractAutzPolicy):
        async def acl_groups(self, identity: object) -> Any:
            return ["staff"]

    policy = Both(SEED)
    assert isinstance(policy, AbstractAutzPolicy)
    assert permit(policy, "bob", "admin_view")
