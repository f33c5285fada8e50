"""Sources: where publications come from (local files and folders; ICE's web page in ``sources.web``)."""
