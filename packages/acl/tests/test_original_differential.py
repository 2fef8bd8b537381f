"""Differential test against the REAL original (aiohttp_auth_autz 0.2.2), in a subprocess.

The original shares our import name, so hatch's dev env installs it in its own
folder (.hatch/original) and we run it with PYTHONPATH pointing there.  It needs
aiohttp, so this module is marked ``needs_aiohttp`` / ``needs_original`` and
deselected in the aiohttp-free ``acl`` environment (where test_oracles.py
checks the same semantics against the original loop re-stated); everywhere
else a missing original is a failure, never a skip.

Agreement is required for permission collections; for bare-string permissions
and string groups the original's bugs (SECURITY D10/D11) are pinned as the
deliberate differences.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import acl_permissions as acl

ORIGINAL = Path(__file__).resolve().parents[3] / ".hatch" / "original"

pytestmark = [pytest.mark.needs_aiohttp, pytest.mark.needs_original]


@pytest.fixture(autouse=True, scope="module")
def _original_is_installed() -> None:
    if not (ORIGINAL / "aiohttp_auth").is_dir():
        pytest.fail(f"the original is missing from {ORIGINAL}: run `hatch env create dev`")


RUNNER = """
import json, sys
from aiohttp_auth.acl.acl import extend_user_groups, get_groups_permitted
from aiohttp_auth.permissions import Permission, Group
SPECIAL = {"@everyone": Group.Everyone, "@authenticated": Group.AuthenticatedUser}
out = []
for case in json.load(sys.stdin):
    context = []
    for allow, principal, perms in case["entries"]:
        perms = set(perms) if isinstance(perms, list) else perms
        context.append((Permission(allow), SPECIAL.get(principal, principal), perms))
    groups = extend_user_groups(case["identity"], case["groups"])
    out.append(get_groups_permitted(groups, case["permission"], context))
print(json.dumps(out))
"""

SPECIAL = {"@everyone": acl.Everyone, "@authenticated": acl.Authenticated}


def run_original(cases: list[dict[str, Any]]) -> list[bool]:
    env = {**os.environ, "PYTHONPATH": str(ORIGINAL)}
    done = subprocess.run(
        [sys.executable, "-c", RUNNER],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        env=env,
        check=True,
        timeout=120,
    )
    return list(json.loads(done.stdout))


def ours(case: dict[str, Any]) -> bool:
    entries = [
        (acl.Permission(allow), SPECIAL.get(principal, principal), perms)
        for allow, principal, perms in case["entries"]
    ]
    principals = acl.principals_for(case["identity"], case["groups"])
    return bool(acl.permits(acl.compile_acl(entries), principals, case["permission"]))


def random_cases(seed: int, count: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    principals = ["a", "b", "staff", "@everyone", "@authenticated"]
    permissions = ["view", "edit", "editor", "e"]
    cases = []
    for _ in range(count):
        entries = [
            [
                rng.random() < 0.5,
                rng.choice(principals),
                rng.sample(permissions, rng.randint(0, 3)),
            ]
            for _ in range(rng.randint(0, 6))
        ]
        groups = None if rng.random() < 0.1 else rng.sample(["a", "b", "staff"], rng.randint(0, 2))
        cases.append(
            {
                "entries": entries,
                "identity": rng.choice([None, "alice"]),
                "groups": groups,
                "permission": rng.choice([*permissions, "absent"]),
            }
        )
    return cases


def test_agrees_with_the_real_original_on_permission_collections() -> None:
    cases = random_cases(seed=2024, count=400)
    expected = run_original(cases)
    assert [ours(case) for case in cases] == expected
    assert any(expected)
    assert not all(expected)


def test_deliberate_differences_from_the_real_original() -> None:
    substring = {
        "entries": [[True, "editors", "editor"]],
        "identity": "u",
        "groups": ["editors"],
        "permission": "edit",
    }
    exact = {**substring, "permission": "editor"}
    assert run_original([substring, exact]) == [True, True]  # D10: 'edit' in 'editor'
    assert ours(exact) is True
    assert ours(substring) is False  # I1: one permission, no substring
    characters = {
        "entries": [[True, "a", ["delete"]]],
        "identity": "u",
        "groups": "admin",
        "permission": "delete",
    }
    assert run_original([characters]) == [True]  # D11: 'admin' became {'a','d','m','i','n'}
    with pytest.raises(TypeError, match="return a collection"):
        ours(characters)  # I2
