"""ctrules: school immunization requirements as readable, checkable, diffable rules.

>>> import ctrules
>>> rs = ctrules.load("ct")
>>> rs.requirement_ids[:3]
['measles', 'mumps', 'rubella']
"""

from __future__ import annotations

from .api import Ruleset, compile, load
from .diagnostics import Diagnostic, Severity
from .errors import CtrulesError, InputError, RulesetError, VersionError
from .records import Student
from .results import RequirementResult, Result, Status

__all__ = [
    "CtrulesError",
    "Diagnostic",
    "InputError",
    "RequirementResult",
    "Result",
    "Ruleset",
    "RulesetError",
    "Severity",
    "Status",
    "Student",
    "VersionError",
    "compile",
    "load",
]

__version__ = "0.1.0"
