"""The coders file: what it gives, every refusal naming its line, and how a bearer token is checked."""

from __future__ import annotations

import hashlib
import hmac
import itertools
from pathlib import Path

import pytest

from graph.coding.coders import ADMIN, Capability, Coder, Coders, Role, load_coders, token_hash
from graph.errors import CodingError

# Fictional coders and tokens, made up for these tests.
TOKENS = {"ana": "ana-token-fictional", "rui": "rui-token-fictional", "eve": "eve-token-fictional"}
HASHES = {name: hashlib.sha256(token.encode()).hexdigest() for name, token in TOKENS.items()}

GOOD = f"""# A fictional coders file, for the tests.
coders:
  - name: ana
    role: coder
    token_sha256: {HASHES["ana"]}
  - name: rui
    role: reviewer
    token_sha256: {HASHES["rui"].upper()}
  - name: eve
    role: reader
    token_sha256: {HASHES["eve"]}
"""


def written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "coders.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_coders_file_gives_its_coders(tmp_path: Path) -> None:
    coders = load_coders(written(tmp_path, GOOD))
    assert [(coder.name, coder.role, coder.line) for coder in coders] == [
        ("ana", Role.coder, 3),
        ("rui", Role.reviewer, 6),
        ("eve", Role.reader, 9),
    ]
    assert [coder.token_sha256 for coder in coders] == list(HASHES.values())  # hex in lower case


def test_a_token_authenticates_its_coder_and_no_other(tmp_path: Path) -> None:
    coders = load_coders(written(tmp_path, GOOD))
    for name, token in TOKENS.items():
        coder = coders.authenticate(token)
        assert coder is not None and coder.name == name
    for wrong in ("", "ana", HASHES["ana"], TOKENS["ana"] + " ", TOKENS["ana"].upper()):
        assert coders.authenticate(wrong) is None, wrong


def test_the_token_is_checked_by_its_hash_in_constant_time_against_every_coder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """hmac.compare_digest over hex SHA-256s, every coder's, even after a match: no early exit to time."""
    coders = load_coders(written(tmp_path, GOOD))
    compared: list[tuple[str, str]] = []
    real_compare = hmac.compare_digest

    def recording_compare(a: str, b: str) -> bool:
        compared.append((a, b))
        return real_compare(a, b)

    monkeypatch.setattr(hmac, "compare_digest", recording_compare)
    assert coders.authenticate(TOKENS["ana"]) == Coder("ana", Role.coder, HASHES["ana"])
    assert compared == [(HASHES["ana"], digest) for digest in HASHES.values()]
    assert TOKENS["ana"] not in repr(compared) and HASHES["ana"] not in repr(
        coders.authenticate(TOKENS["ana"])
    )


def test_each_role_holds_the_one_before_it() -> None:
    ladder = [role.capabilities for role in (Role.reader, Role.coder, Role.reviewer, Role.admin)]
    assert all(lower < higher for lower, higher in itertools.pairwise(ladder))
    assert Role.reader.capabilities == {Capability.read}
    assert Role.coder.capabilities - Role.reader.capabilities == {Capability.code}
    assert Role.reviewer.capabilities - Role.coder.capabilities == {Capability.edit_others, Capability.review}
    # Raw SPARQL writes bypass the coding model: the admin's alone.
    assert [role for role in Role if Capability.raw_writes in role.capabilities] == [Role.admin]
    assert [role for role in Role if Capability.manage_entities in role.capabilities] == [Role.admin]


def test_the_write_token_is_the_admin_named_admin(tmp_path: Path) -> None:
    coders = load_coders(written(tmp_path, GOOD)).with_write_token("write-token-fictional")
    admin = coders.authenticate("write-token-fictional")
    assert admin is not None and (admin.name, admin.role) == (ADMIN, Role.admin)
    assert len(coders) == 4
    assert Coders(()).with_write_token("w").authenticate("w") == Coder(ADMIN, Role.admin, token_hash("w"))


def test_the_write_token_may_not_share_a_name_or_a_token_with_a_coder(tmp_path: Path) -> None:
    path = written(tmp_path, GOOD.replace("name: rui", "name: Admin"))
    with pytest.raises(CodingError) as refused:
        load_coders(path).with_write_token(TOKENS["ana"])
    assert str(refused.value) == (
        f"{path}:3: coder 'ana' has the token of the write token's admin (STANCEGRAPH_WRITE_TOKEN); give "
        "each coder a token of their own\n"
        f"{path}:6: coder name 'Admin' is taken by the write token's admin (STANCEGRAPH_WRITE_TOKEN); "
        "choose another name"
    )


def coder(name: str = "ana", role: str = "coder", digest: str = HASHES["ana"]) -> str:
    return f"  - name: {name}\n    role: {role}\n    token_sha256: {digest}\n"


HEAD = "# Fictional coders, for the tests.\ncoders:\n"

# text -> (line, problem): each broken file and the exact first error it gives.
BROKEN = {
    "not-a-mapping": ("- ana\n", 1, "a coders file is a mapping with the key 'coders' (a list of coders)"),
    "empty-file": ("", 1, "a coders file is a mapping with the key 'coders' (a list of coders)"),
    "unknown-top-key": (
        HEAD + coder() + "readers: []\n",
        6,
        "unknown top-level key 'readers' (expected coders)",
    ),
    "no-list": ("# Fictional.\ncoders: ana\n", 2, "coders: expected a list of coders"),
    "no-coders-key": ("# Fictional.\npeople: []\n", 2, "unknown top-level key 'people' (expected coders)"),
    "empty-list": ("# Fictional.\ncoders: []\n", 2, "coders: the list is empty (name at least one coder)"),
    "entry-not-a-mapping": (
        HEAD + "  - ana\n",
        3,
        "a coder is a mapping with the keys name, role and token_sha256",
    ),
    "missing-key": (
        HEAD + "  - name: ana\n    role: coder\n",
        3,
        "coder: missing required key 'token_sha256'",
    ),
    "token-in-clear": (
        HEAD + coder() + "    token: ana-token-fictional\n",
        6,
        "coder: unknown key 'token': a coders file never holds a token in clear; give its SHA-256 as "
        "token_sha256 (e.g. printf %s TOKEN | sha256sum)",
    ),
    "unknown-key": (
        HEAD + coder() + "    email: ana@example.org\n",
        6,
        "coder: unknown key 'email' (expected one of name, role, token_sha256)",
    ),
    "bad-name": (
        HEAD + coder(name="'ana smith'"),
        3,
        "coder: invalid name 'ana smith' (a word: letters, digits and _, then also . @ -)",
    ),
    "number-name": (
        HEAD + coder(name="7 7"),
        3,
        "coder: invalid name '7 7' (a word: letters, digits and _, then also . @ -)",
    ),
    "bad-role": (
        HEAD + coder(role="editor"),
        4,
        "coder 'ana': invalid role 'editor' (valid: reader, coder, reviewer, admin)",
    ),
    "list-role": (
        HEAD + coder(role="[coder]"),
        4,
        "coder 'ana': invalid role ['coder'] (valid: reader, coder, reviewer, admin)",
    ),
    "short-hash": (
        HEAD + coder(digest=HASHES["ana"][:63]),
        5,
        "coder 'ana': token_sha256 is not a SHA-256 in hex (64 hex digits, as sha256sum prints)",
    ),
    "not-hex": (
        HEAD + coder(digest="g" * 64),
        5,
        "coder 'ana': token_sha256 is not a SHA-256 in hex (64 hex digits, as sha256sum prints)",
    ),
    "duplicate-name": (
        HEAD + coder() + coder(name="ANA", digest=HASHES["rui"]),
        6,
        "coder 'ANA': a second coder of that name (line 3)",
    ),
    "duplicate-token": (
        HEAD + coder() + coder(name="rui", digest=HASHES["ana"].upper()),
        6,
        "coder 'rui': the same token_sha256 as coder 'ana' (line 3); give each coder a token of their own",
    ),
    "duplicate-key": (
        HEAD + coder() + "    role: admin\n",
        6,
        "duplicate key 'role'",
    ),
    "yaml-syntax": (HEAD + "  - name: [ana\n", 4, "YAML syntax error"),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_coders_file_is_refused_naming_file_and_line(tmp_path: Path, case: str) -> None:
    text, line, problem = BROKEN[case]
    path = written(tmp_path, text)
    with pytest.raises(CodingError) as refused:
        load_coders(path)
    assert (refused.value.file, refused.value.line) == (str(path), line)
    assert refused.value.problem.split("\n")[0].startswith(problem), refused.value.problem
    assert str(refused.value).startswith(f"{path}:{line}: ")


def test_every_problem_of_a_file_is_told_at_once_in_the_order_of_its_lines(tmp_path: Path) -> None:
    path = written(tmp_path, HEAD + coder(role="editor") + coder(name="rui", digest="00"))
    with pytest.raises(CodingError) as refused:
        load_coders(path)
    assert str(refused.value).splitlines() == [
        f"{path}:4: coder 'ana': invalid role 'editor' (valid: reader, coder, reviewer, admin)",
        f"{path}:8: coder 'rui': token_sha256 is not a SHA-256 in hex (64 hex digits, as sha256sum prints)",
    ]


def test_a_missing_coders_file_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    with pytest.raises(CodingError, match=r"absent\.yaml: cannot read the coders file: No such file"):
        load_coders(path)
