"""Counties and county equivalents: 5-digit FIPS codes, names, 2024 population, and reading a county name.

The gazetteer joins the Census Bureau's vintage-2024 county estimates (3,144 counties and equivalents of the
50 states and DC) with the county shapes (3,231, Puerto Rico's municipios included). The two disagree in two
places, both real changes: Connecticut's 9 planning regions (Census, since 2022) replaced its 8 counties
(shapes, and the FBI rosters); Alaska's Valdez-Cordova Census Area (02261, shapes) was split into Chugach (02063)
and Copper River (02066). Both kinds of code are in the gazetteer; ``population`` sums the parts of 02261 and
has no 2024 figure for the 8 old Connecticut counties.

``lookup`` reads a county as ICE or the FBI wrote it: "Franklin County", "FRANKLIN", "St. Landry Parish",
"Saint Landry County", "HOPEWELL CITY" (a Virginia independent city), "Frankin County" (a typo, repaired only
when one county of the state is clearly closest).
"""

from __future__ import annotations

import re
from dataclasses import astuple, dataclass
from functools import cache
from pathlib import Path

import orjson
from rapidfuzz import fuzz, process

from track287g.config import kept_or_made
from track287g.enrich.reference import CENSUS_FILE, COUNTY_SHAPES, InputError, optional_int, read_rows
from track287g.normalize import tables
from track287g.normalize.words import compact, tokens

CENSUS_COLUMNS = ("SUMLEV", "STATE", "COUNTY", "CTYNAME", "POPESTIMATE2024")
SUFFIXES = (  # longest first
    ("city and borough", "city and borough"),
    ("census area", "census area"),
    ("planning region", "planning region"),
    ("municipality", "municipality"),
    ("municipio", "municipio"),
    ("borough", "borough"),
    ("parish", "parish"),
    ("county", "county"),
    ("city", "city"),
)
SPLIT_AREAS = {"02261": ("02063", "02066")}  # Valdez-Cordova = Chugach + Copper River (2019)
SUFFIX_TYPO_MIN = 85
TYPO_MIN_SCORE = 85
TYPO_MARGIN = 5


@dataclass(frozen=True)
class County:
    """One county or county equivalent."""

    fips: str
    state: str  # USPS code
    name: str  # as the Census Bureau (or, for former areas, the shapes) names it
    kind: str  # county | parish | borough | census area | municipality | city and borough | city | ...
    population: int | None  # July 2024 estimate (None for former areas and Puerto Rico)
    in_census: bool
    in_shapes: bool

    @property
    def base(self) -> str:
        return split_suffix(self.name)[0]

    @property
    def is_city(self) -> bool:
        return self.kind == "city"


def split_suffix(name: str) -> tuple[str, str | None]:
    """("Autauga County") -> ("autauga", "county"); the base in normalized words, the kind word if any."""
    base, kind, _typo = _split(name)
    return base, kind


def _split(name: str) -> tuple[str, str | None, bool]:
    """Base, kind word, and whether the kind word was misspelt ("Lake Conty", "Hinds Couny")."""
    words = " ".join(tokens(name))
    for suffix, kind in SUFFIXES:
        if words == suffix:
            return "", kind, False
        if words.endswith(" " + suffix):
            return words[: -len(suffix) - 1], kind, False
    head, _, last = words.rpartition(" ")
    if head and len(last) >= 4:
        for word in ("county", "parish"):
            if last[0] == word[0] and fuzz.ratio(last, word) >= SUFFIX_TYPO_MIN:
                return head, word, True
    return words, None, False


def _state_by_fips() -> dict[str, str]:
    return {row["fips"]: code for code, row in tables.states().items()}


def _shape_names(path: Path) -> dict[str, str]:
    """Each county's FIPS code -> its name in the shapes file (read by orjson: 13 ms for the 1.7 MB of shapes,
    40 ms by the standard library's json, at every add whose agencies are placed)."""
    try:
        data = orjson.loads(path.read_bytes())
        return {f["id"]: f["properties"]["name"] for f in data["features"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{path}: not a GeoJSON file of counties with id and name ({exc})") from None


class Gazetteer:
    """Every county by FIPS code, by state, and by name."""

    def __init__(
        self, counties: list[County], state_population: dict[str, int], name_keys: list[str] | None = None
    ) -> None:
        """``name_keys``: each county's name key (``compact`` of its base), worked out when not given."""
        self.counties = counties
        self.by_fips = {c.fips: c for c in counties}
        self.state_population = state_population
        self.by_state: dict[str, list[County]] = {}
        for c in counties:
            self.by_state.setdefault(c.state, []).append(c)
        self.name_keys = name_keys if name_keys is not None else [compact(c.base) for c in counties]
        self._keys: dict[str, dict[str, list[County]]] = {}
        for c, key in zip(counties, self.name_keys, strict=True):
            self._keys.setdefault(c.state, {}).setdefault(key, []).append(c)

    def population(self, fips: str) -> int | None:
        """The 2024 population of a county, a split area as the sum of its parts; None when unknown."""
        county = self.by_fips.get(fips)
        if county is None:
            return None
        if county.population is not None:
            return county.population
        parts = SPLIT_AREAS.get(fips)
        if parts and all(self.by_fips.get(p) and self.by_fips[p].population is not None for p in parts):
            return sum(self.by_fips[p].population for p in parts)  # type: ignore[misc]
        return None

    def lookup(self, state: str, text: str | None) -> tuple[County | None, str]:
        """The county a name means in a state, and the rule that found it (``exact``, ``independent-city``,
        ``county-typo`` ...); (None, reason) when it names none or is ambiguous."""
        if not text or state not in self._keys:
            return None, "no-county" if not text else "no-counties-in-state"
        base, suffix, typo = _split(text)
        if not base:
            return None, "no-name"
        county, rule = self._find(state, base, suffix)
        if county is not None and typo and rule == "exact":
            rule = "county-typo"
        return county, rule

    def _find(self, state: str, base: str, suffix: str | None) -> tuple[County | None, str]:
        index = self._keys[state]
        key = compact(base)
        found = index.get(key, [])
        if suffix == "city":
            cities = [c for c in found if c.is_city]
            if cities:
                return cities[0], "exact"
            whole = [c for c in index.get(key + "city", []) if not c.is_city]  # JAMES CITY = James City County
            if whole:
                return whole[0], "exact"
            found = [c for c in found if not c.is_city]
        counties = [c for c in found if not c.is_city]
        if counties:
            return counties[0], "exact"
        if found:  # only an independent city of that name: "Hopewell County" in Virginia
            return found[0], "independent-city"
        return self._typo(state, key)

    def lookup_all(self, state: str, text: str | None) -> list[County]:
        """Every county of a list as the FBI prints it ("JEFFERSON, SHELBY" or "JEFFERSON; SHELBY"), in order."""
        found: list[County] = []
        for part in re.split(r"[;,]", text or ""):
            county, _rule = self.lookup(state, part.strip())
            if county is not None and county not in found:
                found.append(county)
        return found

    def _typo(self, state: str, key: str) -> tuple[County | None, str]:
        if len(key) < 4:
            return None, "unknown"
        index = self._keys[state]
        best = process.extract(key, list(index), scorer=fuzz.ratio, limit=2)
        if not best or best[0][1] < TYPO_MIN_SCORE:
            return None, "unknown"
        if len(best) > 1 and best[1][1] > best[0][1] - TYPO_MARGIN:
            return None, "ambiguous"
        counties = index[best[0][0]]
        if len(counties) > 1:
            counties = [c for c in counties if not c.is_city]
        return counties[0], "county-typo"


@cache
def gazetteer(census: Path = CENSUS_FILE, shapes: Path = COUNTY_SHAPES) -> Gazetteer:
    """The bundled gazetteer (read once a process, and kept read in the cache folder with each county's name key:
    0.05-0.08 s of every add that places an agency went to reading the census table and the 1.7 MB of shapes,
    then 0.02 s to key the 3,242 names again)."""
    return kept_or_made(
        "counties",
        (census, shapes),
        lambda: Gazetteer(*_read_gazetteer(census, shapes)),
        lambda gaz: [[astuple(c) for c in gaz.counties], gaz.state_population, gaz.name_keys],
        lambda kept: Gazetteer([County(*row) for row in kept[0]], dict(kept[1]), list(kept[2])),
    )


def _read_gazetteer(census: Path, shapes: Path) -> tuple[list[County], dict[str, int]]:
    """Every county of the census table and of the shapes (former areas), and each state's population."""
    states = _state_by_fips()
    counties: list[County] = []
    state_population: dict[str, int] = {}
    shape_names = _shape_names(shapes)
    seen: set[str] = set()
    for line, row in read_rows(census, CENSUS_COLUMNS):
        state = states.get(row["STATE"])
        if state is None or len(row["STATE"]) != 2:
            raise InputError(f"{census}: line {line}: STATE {row['STATE']!r} is not a state FIPS code")
        population = optional_int(row["POPESTIMATE2024"], census, line, "POPESTIMATE2024")
        if row["SUMLEV"] == "040":
            state_population[state] = population or 0
            continue
        if row["SUMLEV"] != "050":
            continue
        if len(row["COUNTY"]) != 3 or not row["COUNTY"].isdigit():
            raise InputError(f"{census}: line {line}: COUNTY {row['COUNTY']!r} is not a 3-digit FIPS code")
        fips = row["STATE"] + row["COUNTY"]
        name = row["CTYNAME"]
        kind = split_suffix(name)[1] or ("district" if state == "DC" else "county")
        counties.append(County(fips, state, name, kind, population, True, fips in shape_names))
        seen.add(fips)
    for fips, name in sorted(shape_names.items()):
        if fips in seen or fips[:2] not in states:
            continue
        state = states[fips[:2]]
        if state == "PR":
            kind, full = "municipio", f"{name} Municipio"
        elif fips in SPLIT_AREAS:
            kind, full = "census area (former)", f"{name} Census Area"
        else:
            kind, full = "county (former)", f"{name} County"
        counties.append(County(fips, state, full, kind, None, False, True))
    return counties, state_population
