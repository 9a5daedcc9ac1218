"""The choices a network is built with: its kind, edge normalization, holder level and centrality measure.

Defined once, here: the Python API takes them (or their values as plain strings)
and the web service offers them as the allowed values of its parameters.

>>> choose(Normalization, "jaccard", "normalization") is Normalization.jaccard
True
>>> choose(Level, "planet", "roll-up level")
Traceback (most recent call last):
...
graph.errors.ValidationFailedError: unknown roll-up level 'planet' (valid: stakeholder, nation)
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from graph.errors import ValidationFailedError

# No docstrings on the enums: the web service's OpenAPI document would carry them as descriptions.


class Kind(StrEnum):
    two_mode = "two-mode"
    congruence = "congruence"
    conflict = "conflict"
    signed = "signed"


class Normalization(StrEnum):
    none = "none"
    jaccard = "jaccard"
    cosine = "cosine"


class Level(StrEnum):
    stakeholder = "stakeholder"
    nation = "nation"


class Measure(StrEnum):
    degree = "degree"
    betweenness = "betweenness"
    eigenvector = "eigenvector"


Choice = TypeVar("Choice", bound=StrEnum)


def choose(choices: type[Choice], value: str, what: str) -> Choice:
    """The member of ``choices`` that ``value`` names; else ValidationFailedError naming ``what``.

    >>> choose(Kind, Kind.signed, "network")
    <Kind.signed: 'signed'>
    >>> choose(Measure, "fame", "centrality measure")
    Traceback (most recent call last):
    ...
    graph.errors.ValidationFailedError: unknown centrality measure 'fame' (valid: degree, betweenness, ...)
    """
    try:
        return choices(value)
    except ValueError:
        valid = ", ".join(choices)
        raise ValidationFailedError(f"unknown {what} {value!r} (valid: {valid})") from None
