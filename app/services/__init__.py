"""Application services: what the window and the CLI ask of a profile, in one place.

Each module serves one concern on an opened `Workspace` (mail, records, tracking, compose,
schedule, sync, settings, account) and returns plain values: no session, no SQL and no
exchangelib reaches a caller. `app.services.workspace.WorkspaceServices` gathers them for the
window; the CLI uses the modules it needs.
"""
