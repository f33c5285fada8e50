"""Publish: what the pipeline writes from the database when its data changes.

- ``export``: the tables as CSV, Parquet, XLSX or JSON with a ``datapackage.json`` (``track287g export``).
- ``downloads``: the bulk exports of one data version, written once, and the list the downloads page shows.
- ``feeds``: Atom feeds of changes (all, per state, per agency).
- ``static_site``: the whole web site as files for a static host (``track287g build-site``).

The server (``track287g.web``) serves these; nothing here imports it (the static site is handed the app).
"""
