"""Build hook: the wheel carries the bundled data of ``data/`` (ICE's lists, the claims checked) as
``track287g/data/...``, so a plain ``pip install`` can build the record. An editable install reads them from the
checkout instead (``track287g.config.bundled``), so they are not copied there."""

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

BUNDLED = {"data/archive": "track287g/data/archive", "data/claims": "track287g/data/claims"}


class BundledData(BuildHookInterface):
    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name == "wheel" and version == "standard":
            build_data["force_include"].update(BUNDLED)
