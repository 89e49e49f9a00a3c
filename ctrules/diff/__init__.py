"""`ctrules diff`: what changed between two rulesets, and which students it changes.

    from ctrules.diff import diff, render_diff
    result = diff("ct@2011-07-31", "ct@2011-08-01")
    result.behavioural_difference, result.effects["measles"].classification

Stages, one module each: `sides` (a file, a bundled name, or `NAME@DATE`), `structure` (the
changes, matched by id and citation, in policy words via `words`), `witnesses` (students made
from both rulesets' thresholds), `effects` (classification and verified witnesses),
`population` (a roster under both), `report` (text, markdown, json, html). docs/diff.md.
"""

from __future__ import annotations

from .compare import SCHEMA_VERSION, Diff, compare, diff
from .report import FORMATS, diff_to_dict, render_diff
from .sides import Side, open_side

__all__ = ["FORMATS", "SCHEMA_VERSION", "Diff", "Side", "compare", "diff", "diff_to_dict", "open_side", "render_diff"]
