"""A coding file read with the entity registry beside it, if there is one, and its known entities.

A document of a corpus may name the registry's entities without defining them; read alone it
would not check. Here it is checked against the registry only, not against the other documents
of its folder: two coders' codings of one text may sit side by side with the same ids.

>>> from graph.paths import DATA_DIR
>>> coding, known = coding_and_entities(DATA_DIR / "golden-dome-canada.yaml")
>>> coding.document.slug, any(entity.id == "canada" for entity in known)
('golden-dome-canada', True)
"""

from __future__ import annotations

from pathlib import Path

from graph.coding.load import Coding, checked_coding, checked_registry, load_coding, read_top
from graph.coding.schema import EntityRegistry
from graph.coding.scope import REGISTRY_FILE, Scope
from graph.suggest.names import Known, known_entities


def coding_beside_registry(path: Path) -> Coding:
    """The coding file at ``path``, checked with the registry of its folder (if any)."""
    registry_path = Path(path).parent / REGISTRY_FILE
    if not registry_path.is_file() or Path(path).resolve() == registry_path.resolve():
        return load_coding(Path(path))
    tops = [(registry_path, read_top(registry_path, EntityRegistry)), (Path(path), read_top(Path(path)))]
    scope = Scope.of(registry_path, [(str(file), top) for file, top in tops])
    registry = checked_registry(registry_path, tops[0][1], scope)
    return checked_coding(Path(path), tops[1][1], scope, registry.entities)


def coding_and_entities(path: Path) -> tuple[Coding, list[Known]]:
    """The coding file at ``path`` and the entities it may name: its own and the registry's."""
    coding = coding_beside_registry(path)
    return coding, known_entities([*coding.file.entries(), *coding.shared.values()])
