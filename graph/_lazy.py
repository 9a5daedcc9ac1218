"""Modules and names imported at their first use, so that a process that never needs them never pays.

networkx takes about 11 MB of a process's memory; only the network analyses use it, and the
web service imports the modules defining them at start. The packages ``graph`` and
``graph.stores`` offer their public names lazily too: a store's engine process imports one
of their submodules, and so the packages, but none of rdflib, networkx or httpx.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from collections.abc import Callable, Mapping
from operator import attrgetter
from types import ModuleType
from typing import Any


class _Deferred(ModuleType):
    """A module whose code runs at the first look-up of a name it defines.

    Unlike :class:`importlib.util.LazyLoader`, whose modules load at any attribute access, the
    attributes the import system sets (``__file__``, ``__spec__``, ...) are read without
    loading: :func:`inspect.getmodule` reads ``__file__`` of every module in ``sys.modules``
    (pydantic does so for each model's docstrings), and must not load networkx each time.
    """

    def __getattr__(self, attribute: str) -> Any:
        with _LOADING:
            if type(self) is _Deferred:  # another thread may have run it meanwhile
                spec = self.__spec__
                assert spec is not None and spec.loader is not None
                self.__class__ = ModuleType  # type: ignore[assignment]  # a plain module from now on
                spec.loader.exec_module(self)
        return getattr(self, attribute)


_LOADING = threading.RLock()


def lazy_module(name: str) -> ModuleType:
    """The module ``name``, loaded at the first look-up of one of its names.

    It is the module itself, registered in ``sys.modules``: an ``import`` of it elsewhere
    loads it then, and sees the same object.

    >>> colorsys = lazy_module("colorsys")
    >>> colorsys.rgb_to_hsv(1.0, 0.0, 0.0)
    (0.0, 1.0, 1.0)
    """
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(f"no module named {name!r}", name=name)
    module = importlib.util.module_from_spec(spec)
    module.__class__ = _Deferred
    sys.modules[name] = module
    return module


def lazy_names(
    namespace: dict[str, Any], names: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A package's ``__getattr__`` and ``__dir__`` (PEP 562) offering ``names`` at their first use.

    ``namespace`` is the package's ``globals()``; ``names`` maps each public name to
    ``"module:attribute"``, the attribute a dotted path (``"graph.knowledge:KnowledgeGraph.open"``).
    The value, once imported, is kept in the namespace: later look-ups are plain reads.

    >>> import types
    >>> package = types.ModuleType("example")
    >>> package.__getattr__, package.__dir__ = lazy_names(vars(package), {"pi": "math:pi"})
    >>> package.pi, "pi" in package.__dir__()
    (3.141592653589793, True)
    >>> package.tau
    Traceback (most recent call last):
    ...
    AttributeError: module 'example' has no attribute 'tau'
    """

    def __getattr__(name: str) -> Any:
        if name not in names:
            raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")
        module, attribute = names[name].split(":")
        value = namespace[name] = attrgetter(attribute)(importlib.import_module(module))
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *names})

    return __getattr__, __dir__
