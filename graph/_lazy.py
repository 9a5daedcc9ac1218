"""Modules imported at their first use, so that a process that never needs them never pays for them.

networkx takes about 11 MB of a process's memory; only the network analyses use it, and the
web service imports the modules defining them at start.
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType


def lazy_module(name: str) -> ModuleType:
    """The module ``name``, loaded at the first access to one of its attributes.

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
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module
