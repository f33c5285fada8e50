"""Publish: the web site, JSON API and Atom feeds (``track287g serve``) and the static export
(``track287g build-site``), all served from the same database with every asset local."""

from track287g.web.app import create_app

__all__ = ["create_app"]
