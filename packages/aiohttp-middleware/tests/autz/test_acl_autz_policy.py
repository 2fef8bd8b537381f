"""``AbstractACLAutzPolicy`` on its own: the ACL semantics every request relies on."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import acl_permissions
from aiohttp_auth.autz.abc import AbstractAutzPolicy
from aiohttp_auth.autz.policy.acl import AbstractACLAutzPolicy
from aiohttp_auth.permissions import Group, Permission

Allow, Deny = Permission.Allow, Permission.Deny


async def test_policy_is_both_interfaces(policy_factory: Any) -> None:
    policy = policy_factory.make({}, [(Allow, Group.Everyone, {"view"})])
    assert isinstance(policy, AbstractAutzPolicy)
    assert isinstance(policy, acl_permissions.ACLPolicy)


def test_policy_without_acl_groups_cannot_be_instantiated() -> None:
    class Incomplete(AbstractACLAutzPolicy):
        pass

    with pytest.raises(TypeError, match="acl_groups"):
        Incomplete()  # type: ignore[abstract]


@pytest.mark.parametrize("sync", [False, True])
async def test_seed_acl_semantics_sync_and_async_groups(policy_factory: Any, sync: bool) -> None:
    context = [
        (Allow, "guest", {"view"}),
        (Deny, "guest", {"edit"}),
        (Allow, "staff", {"view", "edit", "admin_view"}),
        (Allow, Group.Everyone, {"view_home"}),
    ]
    groups = {"bob": ["guest", "staff"], "alice": ["guest"]}
    policy = policy_factory.make(groups, context, sync=sync)
    assert await policy.permit("alice", "view")
    assert not await policy.permit("alice", "edit")  # Deny guest comes first
    assert not await policy.permit("alice", "admin_view")  # no entry matches
    assert not await policy.permit("bob", "edit")  # first match: guest's Deny
    assert await policy.permit("bob", "admin_view")
    assert await policy.permit(None, "view_home")
    assert not await policy.permit(None, "view")


async def test_permit_answer_explains_itself(policy_factory: Any) -> None:
    policy = policy_factory.make({"bob": ["staff"]}, [(Allow, "staff", {"edit"})])
    decision = await policy.permit("bob", "edit")
    assert isinstance(decision, acl_permissions.Decision)
    assert decision.index == 0
    assert "#0" in str(decision)
    denied = await policy.permit("bob", "delete")
    assert not denied
    assert denied.index is None


async def test_no_context_anywhere_is_runtime_error_saying_how_to_fix(policy_factory: Any) -> None:
    policy = policy_factory.make({})
    with pytest.raises(RuntimeError, match="context"):
        await policy.permit("bob", "view")


async def test_per_call_context_overrides_global(policy_factory: Any) -> None:
    policy = policy_factory.make({"bob": ["staff"]}, [(Allow, "staff", {"view"})])
    assert await policy.permit("bob", "view")
    assert not await policy.permit("bob", "view", [(Deny, "staff", {"view"})])
    assert await policy.permit("bob", "edit", [(Allow, "staff", {"edit"})])


async def test_global_context_is_a_snapshot(policy_factory: Any) -> None:
    context = [(Allow, "staff", {"view"})]
    policy = policy_factory.make({"bob": ["staff"]}, context)
    context.append((Allow, "staff", {"edit"}))
    assert not await policy.permit("bob", "edit")
    policy.context = context  # assigning recompiles
    assert await policy.permit("bob", "edit")


async def test_I1_string_permissions_never_match_by_substring(policy_factory: Any) -> None:
    policy = policy_factory.make({"ed": ["editors"]}, [(Allow, "editors", "editor")])
    assert not await policy.permit("ed", "edit")
    assert not await policy.permit("ed", "e")
    assert await policy.permit("ed", "editor")


@settings(settings.get_profile("autz"))
@given(
    name=st.text(st.characters(codec="ascii", categories=("L", "N")), min_size=2, max_size=12),
    data=st.data(),
)
async def test_I1_property_no_proper_substring_is_granted(name: str, data: Any) -> None:
    start = data.draw(st.integers(0, len(name) - 1))
    end = data.draw(st.integers(start, len(name)))
    part = name[start:end]

    class Policy(AbstractACLAutzPolicy):
        def acl_groups(self, user_identity: Any) -> Any:
            return ["g"]

    policy = Policy([(Allow, "g", name)])
    assert bool(await policy.permit("u", part)) is (part == name)


async def test_I1_unhashable_permission_is_type_error(policy_factory: Any) -> None:
    policy = policy_factory.make({"bob": ["staff"]}, [(Allow, "staff", {"edit"})])
    with pytest.raises(TypeError, match="hashable"):
        await policy.permit("bob", {"edit"})


async def test_I2_groups_as_a_string_is_type_error_and_never_grants(policy_factory: Any) -> None:
    policy = policy_factory.make({"eve": "admin"}, [(Allow, "a", ("delete",))])
    with pytest.raises(TypeError, match="string"):
        await policy.permit("eve", "delete")


@pytest.mark.parametrize(
    ("returned", "view_home", "members_only"),
    [
        (None, False, False),  # None: denied everything, even Everyone's permissions
        ((), True, True),  # empty: Everyone + AuthenticatedUser
        ([], True, True),
        (set(), True, True),
        (frozenset(), True, True),
    ],
)
async def test_I3_none_versus_empty_groups(
    policy_factory: Any, returned: Any, view_home: bool, members_only: bool
) -> None:
    context = [
        (Allow, Group.Everyone, {"view_home"}),
        (Allow, Group.AuthenticatedUser, {"members_only"}),
    ]
    policy = policy_factory.make({"carol": returned}, context)
    assert bool(await policy.permit("carol", "view_home")) is view_home
    assert bool(await policy.permit("carol", "members_only")) is members_only


async def test_I3_anonymous_with_empty_groups_is_everyone_only(policy_factory: Any) -> None:
    context = [
        (Allow, Group.Everyone, {"view_home"}),
        (Allow, Group.AuthenticatedUser, {"members_only"}),
    ]
    policy = policy_factory.make({}, context)
    assert await policy.permit(None, "view_home")
    assert not await policy.permit(None, "members_only")


@pytest.mark.parametrize("returned", ["", 0, b"admin"])
async def test_I3_falsy_non_none_non_collections_are_rejected(
    policy_factory: Any, returned: Any
) -> None:
    policy = policy_factory.make({"carol": returned}, [(Allow, Group.Everyone, {"view_home"})])
    with pytest.raises(TypeError):
        await policy.permit("carol", "view_home")


async def test_I4_first_match_allow_before_deny(policy_factory: Any) -> None:
    policy = policy_factory.make(
        {"mallory": ["banned"]},
        [(Allow, Group.Everyone, "view"), (Deny, "banned", "view")],
    )
    assert await policy.permit("mallory", "view")  # first match (Pyramid's semantics)


async def test_I4_first_match_deny_before_allow(policy_factory: Any) -> None:
    policy = policy_factory.make(
        {"mallory": ["banned"], "bob": []},
        [(Deny, "banned", "view"), (Allow, Group.Everyone, "view")],
    )
    assert not await policy.permit("mallory", "view")
    assert await policy.permit("bob", "view")


_GROUPS = st.sampled_from(["a", "b", "c", Group.Everyone, Group.AuthenticatedUser])
_PERMS = st.sampled_from(["view", "edit", "delete"])
_ENTRY = st.tuples(st.sampled_from([Allow, Deny]), _GROUPS, st.frozensets(_PERMS, max_size=3))


@settings(settings.get_profile("autz"))
@given(
    acl=st.lists(_ENTRY, max_size=6),
    deny_group=_GROUPS,
    deny_perm=_PERMS,
    user_groups=st.frozensets(st.sampled_from(["a", "b", "c"]), max_size=3),
    identity=st.sampled_from([None, "u"]),
)
async def test_I4_property_prepending_a_deny_never_grants_more(
    acl: list[Any], deny_group: Any, deny_perm: str, user_groups: Any, identity: Any
) -> None:
    class Policy(AbstractACLAutzPolicy):
        def acl_groups(self, user_identity: Any) -> Any:
            return user_groups

    before = Policy(acl)
    after = Policy([(Deny, deny_group, {deny_perm}), *acl])
    for perm in ("view", "edit", "delete"):
        if await after.permit(identity, perm):
            assert await before.permit(identity, perm)


async def test_I5_raising_groups_callback_propagates(policy_factory: Any) -> None:
    policy = policy_factory.make({"bob": LookupError("db down")}, [(Allow, Group.Everyone, "x")])
    with pytest.raises(LookupError, match="db down"):
        await policy.permit("bob", "x")


@pytest.mark.parametrize(
    "user_id", ["admin", "aiohttp_auth.acl.group.Everyone", "system.Authenticated", "staff"]
)
async def test_I6_user_id_is_never_a_group(policy_factory: Any, user_id: str) -> None:
    context = [
        (Allow, "admin", {"x"}),
        (Allow, "aiohttp_auth.acl.group.Everyone", {"x"}),
        (Allow, "aiohttp_auth.acl.group.AuthenticatedUser", {"x"}),
        (Allow, "system.Authenticated", {"x"}),
        (Allow, "system.Everyone", {"x"}),
        (Allow, "staff", {"x"}),
    ]
    policy = policy_factory.make({}, context)
    assert not await policy.permit(user_id, "x")


@pytest.mark.parametrize(
    "entry",
    [
        (Allow, "staff"),
        (Allow, "staff", {"view"}, "extra"),
        (True, "staff", {"view"}),
        ("Allow", "staff", {"view"}),
        (None, "staff", {"view"}),
        (Allow, ["staff"], {"view"}),
        (Allow, {"staff"}, {"view"}),
    ],
)
def test_I7_malformed_entries_fail_when_the_policy_is_built(
    policy_factory: Any, entry: Any
) -> None:
    with pytest.raises((TypeError, ValueError)):
        policy_factory.make({}, [(Allow, "ok", {"view"}), entry])
