"""Regulation snapshot tests: one module per subsection of Regs. Conn. State Agencies § 10-204a-2a."""
