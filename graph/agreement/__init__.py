"""Inter-coder agreement: several coders code one text independently; how far do they agree?

Positions are grouped into units where the coders' quotes overlap (:mod:`~graph.agreement.units`);
Krippendorff's alpha is computed per variable over the units, with the agreement on units and
the disagreements side by side (:mod:`~graph.agreement.measures`). The positions come from
coding files of one text or from a store's revisions (:mod:`~graph.agreement.sources`).
"""

from __future__ import annotations

from graph.agreement.measures import VARIABLES, Agreement, Alpha, UnitAgreement, agreement, alpha_of
from graph.agreement.sources import positions_of_coding, positions_of_files, positions_of_store
from graph.agreement.units import CodedPosition, Unit, build_units

__all__ = [
    "VARIABLES",
    "Agreement",
    "Alpha",
    "CodedPosition",
    "Unit",
    "UnitAgreement",
    "agreement",
    "alpha_of",
    "build_units",
    "positions_of_coding",
    "positions_of_files",
    "positions_of_store",
]
