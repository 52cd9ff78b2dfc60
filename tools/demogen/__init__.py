"""Builds the Liaison demo: Brightwave Sp. z o.o.'s mail, calendar, tasks and CRM for Sept-Nov 2026.

Everything is derived from fixed text and seeded random generators, so every run writes the same
bytes. `tools/make_demo.py` beside this package is the entry point; it writes into
resources/demo.
"""
