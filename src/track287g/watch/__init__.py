"""The watcher: keep the record current from ICE's 287(g) page and tell subscribers what changed.

``run_once(db, settings)`` is one run (the ``watch --once`` command); ``notify`` holds subscriptions and
webhook deliveries, ``addresses`` where a webhook may point. A run holds the database's writer lock
(``track287g.store.lock``), like every command that writes. The Atom feeds are the site's
(``track287g.publish.feeds``): built from the events, they show a new publication's once the history is rebuilt.
"""

from track287g.store.lock import LockHeld
from track287g.watch.run import WatchReport, WatchSettings, parse_duration, run_once

__all__ = ["LockHeld", "WatchReport", "WatchSettings", "parse_duration", "run_once"]
