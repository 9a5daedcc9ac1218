"""How a subgraph is selected around its focus: its ego neighbourhood, or its Concise Bounded Description.

>>> [mode.value for mode in Mode]
['ego', 'cbd']
"""

from __future__ import annotations

from enum import StrEnum

# No docstring on the enum: the web service's OpenAPI document would carry it as a description.


class Mode(StrEnum):
    ego = "ego"
    cbd = "cbd"
