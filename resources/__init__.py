"""Liaison's shipped files: icons, translations and the demo mailbox (no code).

Installed as the package `app.resources` (setup.py maps this folder onto that name), so
app/shipped.py finds these files the same way in a checkout, a wheel and the PyInstaller folder.
"""
