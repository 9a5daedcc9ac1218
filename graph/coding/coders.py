"""Who may code: coders, their roles and what each role may do; the coders file; bearer tokens.

A role is a set of capabilities, in the spirit of the permission flags of Discourse Network
Analyzer (edit own statements, edit others', review, manage entities). Each role holds the
one before it::

    reader    read
    coder     + code (create positions and evidence, edit and retract one's own)
    reviewer  + edit_others, review
    admin     + manage_entities, raw_writes (SPARQL Update and Graph Store writes, which
                bypass the coding model and its checks)

The coders file (YAML) names each coder, their role and the SHA-256 of their bearer token,
never the token itself::

    coders:
      - name: ana
        role: coder
        token_sha256: 5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8

>>> coders = Coders([Coder("ana", Role.coder, token_hash("password"))])
>>> coders.authenticate("password")
Coder(name='ana', role=<Role.coder: 'coder'>)
>>> coders.authenticate("guess") is None
True
>>> coders.authenticate("password").can(Capability.edit_others)
False
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from graph.coding.lines import LinedList, LinedMap, Problems, read_yaml
from graph.errors import CodingError

ADMIN = "admin"
"""The name of the admin the single write token (``STANCEGRAPH_WRITE_TOKEN``) authenticates."""


class Capability(StrEnum):
    """One thing a coder may do."""

    read = "read"
    code = "code"
    edit_others = "edit_others"
    review = "review"
    manage_entities = "manage_entities"
    raw_writes = "raw_writes"


class Role(StrEnum):
    """A coder's role: a set of capabilities, each role's including the one before it.

    >>> sorted(map(str, Role.reviewer.capabilities))
    ['code', 'edit_others', 'read', 'review']
    >>> Role.admin.capabilities == frozenset(Capability)
    True
    """

    reader = "reader"
    coder = "coder"
    reviewer = "reviewer"
    admin = "admin"

    @property
    def capabilities(self) -> frozenset[Capability]:
        return _CAPABILITIES[self]


_CAPABILITIES: dict[Role, frozenset[Capability]] = {
    Role.reader: frozenset({Capability.read}),
    Role.coder: frozenset({Capability.read, Capability.code}),
    Role.reviewer: frozenset({Capability.read, Capability.code, Capability.edit_others, Capability.review}),
    Role.admin: frozenset(Capability),
}


@dataclass(frozen=True)
class Coder:
    """A coder: the name every write is recorded under, the role, and the token's SHA-256 (hex)."""

    name: str
    role: Role
    token_sha256: str = field(repr=False)
    line: int | None = field(default=None, repr=False, compare=False)  # in the coders file

    @property
    def capabilities(self) -> frozenset[Capability]:
        return self.role.capabilities

    def can(self, capability: Capability) -> bool:
        """Whether the coder's role has ``capability``.

        >>> Coder("rui", Role.reviewer, token_hash("x")).can(Capability.review)
        True
        """
        return capability in self.role.capabilities


def token_hash(token: str) -> str:
    """The hex SHA-256 of a bearer token's UTF-8 bytes: what a coders file holds (``sha256sum``'s).

    >>> token_hash("password")
    '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8'
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Coders:
    """The coders a service knows; authenticates a bearer token to one of them.

    ``file`` names the coders file the coders came from, for errors about them.
    """

    def __init__(self, coders: Iterable[Coder], *, file: str | None = None) -> None:
        self._coders = tuple(coders)
        self.file = file

    def __iter__(self) -> Iterator[Coder]:
        return iter(self._coders)

    def __len__(self) -> int:
        return len(self._coders)

    def authenticate(self, token: str) -> Coder | None:
        """The coder whose token this is, or None.

        The token's hash is compared with every coder's in constant time, each one, so the time
        taken says nothing of which coder (or which hex digit) came close.
        """
        given = token_hash(token)
        found: Coder | None = None
        for coder in self._coders:
            if hmac.compare_digest(given, coder.token_sha256):
                found = coder
        return found

    def with_write_token(self, token: str) -> Coders:
        """These coders and the write token's admin, named :data:`ADMIN`.

        The coders file may not name a coder ``admin`` nor give the write token's hash.

        >>> ana = Coder("ana", Role.coder, token_hash("a"), line=3)
        >>> Coders([ana], file="coders.yaml").with_write_token("a")
        Traceback (most recent call last):
        graph.errors.CodingError: coders.yaml:3: coder 'ana' has the token of the write token's admin ...
        >>> [coder.name for coder in Coders([ana]).with_write_token("w")]
        ['ana', 'admin']
        """
        admin = Coder(ADMIN, Role.admin, token_hash(token))
        problems = Problems(self.file or "the coders file")
        for coder in self._coders:
            if coder.name.casefold() == ADMIN:
                problems.add(
                    coder.line or 1,
                    f"coder name '{coder.name}' is taken by the write token's admin "
                    "(STANCEGRAPH_WRITE_TOKEN); choose another name",
                )
            if hmac.compare_digest(coder.token_sha256, admin.token_sha256):
                problems.add(
                    coder.line or 1,
                    f"coder '{coder.name}' has the token of the write token's admin "
                    "(STANCEGRAPH_WRITE_TOKEN); give each coder a token of their own",
                )
        problems.raise_if_any()
        return Coders((*self._coders, admin), file=self.file)


_KEYS = ("name", "role", "token_sha256")
_NAME = re.compile(r"\w[\w.@-]*")
_SHA256 = re.compile(r"[0-9a-fA-F]{64}")
_ROLES = frozenset(role.value for role in Role)


def load_coders(path: Path) -> Coders:
    """The coders of the coders file at ``path``, every problem in it raised as one CodingError.

    Refused, each naming its line: a file that is not a mapping with one key ``coders`` holding a
    list of coders; a coder whose keys are not exactly name, role and token_sha256 (a token in
    clear among them); a name that is not a word (letters, digits, ``_``, then also ``.@-``); an
    unknown role; a hash that is not 64 hex digits; two coders of one name (ignoring case) or
    of one token.
    """
    file = str(path)
    try:
        top = read_yaml(path)
    except OSError as error:
        raise CodingError(file, None, f"cannot read the coders file: {error.strerror or error}") from error
    problems = Problems(file)
    if not isinstance(top, LinedMap):
        raise CodingError(file, 1, "a coders file is a mapping with the key 'coders' (a list of coders)")
    for key in top:
        if key != "coders":
            problems.add(top.lines[key], f"unknown top-level key '{key}' (expected coders)")
    entries = top.get("coders")
    coders: list[Coder] = []
    if not isinstance(entries, LinedList):
        problems.add(top.lines.get("coders", top.line), "coders: expected a list of coders")
    elif not entries:
        problems.add(entries.line, "coders: the list is empty (name at least one coder)")
    else:
        found = (_coder(entry, line, problems) for entry, line in zip(entries, entries.lines, strict=True))
        coders = [coder for coder in found if coder is not None]
    _refuse_duplicates(coders, problems)
    problems.raise_if_any()
    return Coders(coders, file=file)


def _coder(entry: Any, line: int, problems: Problems) -> Coder | None:
    """The coder of one entry, or None with its problems added."""
    if not isinstance(entry, LinedMap):
        problems.add(line, "a coder is a mapping with the keys name, role and token_sha256")
        return None
    found = len(problems.found)
    for key in entry:
        if key == "token":
            problems.add(
                entry.lines[key],
                "coder: unknown key 'token': a coders file never holds a token in clear; give its "
                "SHA-256 as token_sha256 (e.g. printf %s TOKEN | sha256sum)",
            )
        elif key not in _KEYS:
            problems.add(entry.lines[key], f"coder: unknown key '{key}' (expected one of {', '.join(_KEYS)})")
    for key in _KEYS:
        if key not in entry:
            problems.add(entry.line, f"coder: missing required key '{key}'")
    name, role, digest = entry.get("name"), entry.get("role"), entry.get("token_sha256")
    who = f"coder '{name}'" if isinstance(name, str) else "coder"
    if "name" in entry and not (isinstance(name, str) and _NAME.fullmatch(name)):
        problems.add(
            entry.lines["name"],
            f"coder: invalid name {name!r} (a word: letters, digits and _, then also . @ -)",
        )
    if "role" in entry and not (isinstance(role, str) and role in _ROLES):
        problems.add(
            entry.lines["role"],
            f"{who}: invalid role {role!r} (valid: {', '.join(role.value for role in Role)})",
        )
    if "token_sha256" in entry and not (isinstance(digest, str) and _SHA256.fullmatch(digest)):
        problems.add(
            entry.lines["token_sha256"],
            f"{who}: token_sha256 is not a SHA-256 in hex (64 hex digits, as sha256sum prints)",
        )
    if len(problems.found) > found:
        return None
    return Coder(str(name), Role(str(role)), str(digest).lower(), line=line)


def _refuse_duplicates(coders: list[Coder], problems: Problems) -> None:
    by_name: dict[str, Coder] = {}
    by_hash: dict[str, Coder] = {}
    for coder in coders:
        first = by_name.setdefault(coder.name.casefold(), coder)
        if first is not coder:
            problems.add(
                coder.line or 1, f"coder '{coder.name}': a second coder of that name (line {first.line})"
            )
        first = by_hash.setdefault(coder.token_sha256, coder)
        if first is not coder:
            problems.add(
                coder.line or 1,
                f"coder '{coder.name}': the same token_sha256 as coder '{first.name}' (line {first.line}); "
                "give each coder a token of their own",
            )
