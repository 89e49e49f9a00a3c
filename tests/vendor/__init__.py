"""Vendor snapshot tests: the bundled `infinite-campus-ct` ruleset, one module per section of the
Infinite Campus article "Immunization Rules (Connecticut) [.2311 - .2331]" (seed 002)."""
