"""The coding format published as JSON Schema, for editors to check and complete files with.

``ontology/coding.schema.json`` is :func:`json_schema_text` (``stancegraph schema`` prints it; a
test keeps the committed file equal to it). The entity registry has a schema of its own.

>>> json_schema()["properties"]["positions"]["items"]["$ref"]
'#/$defs/Position'
"""

from __future__ import annotations

import json
from typing import Any

from graph.coding.schema import CodingFile, EntityRegistry


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a coding file (the YAML as JSON data), generated from the models.

    >>> json_schema()["$defs"]["Position"]["required"]
    ['id', 'holder', 'target', 'stance', 'attribution', 'evidence']
    """
    return CodingFile.model_json_schema()


def json_schema_text() -> str:
    """:func:`json_schema` as the text of ``ontology/coding.schema.json``.

    >>> json_schema_text().startswith('{\\n  "$defs"')
    True
    """
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def registry_json_schema() -> dict[str, Any]:
    """The JSON Schema of the entity registry (``entities.yaml``): the entity sections alone.

    >>> sorted(registry_json_schema()["properties"])[:2]
    ['concerns', 'measures']
    """
    return EntityRegistry.model_json_schema()


def registry_json_schema_text() -> str:
    """:func:`registry_json_schema` as text.

    >>> json.loads(registry_json_schema_text())["title"]
    'stancegraph entity registry'
    """
    return json.dumps(registry_json_schema(), indent=2, ensure_ascii=False) + "\n"
