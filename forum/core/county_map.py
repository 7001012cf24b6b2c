"""Estonia's fifteen counties as a tile map: one square each, placed roughly where the county
lies (north up), so that numbers per county can be read at a glance and every tile is a link.
Server-rendered SVG (forum/includes/county_map.html) with a table of the same numbers beside it
for screen readers and for exact values."""

from dataclasses import dataclass

from forum.core.models import County

# (row, column) of each county's tile.
TILES = {
    "harjumaa": (0, 2),
    "laane-virumaa": (0, 3),
    "ida-virumaa": (0, 4),
    "hiiumaa": (1, 0),
    "laanemaa": (1, 1),
    "raplamaa": (1, 2),
    "jarvamaa": (1, 3),
    "jogevamaa": (1, 4),
    "saaremaa": (2, 0),
    "parnumaa": (2, 2),
    "viljandimaa": (2, 3),
    "tartumaa": (2, 4),
    "valgamaa": (3, 3),
    "polvamaa": (3, 4),
    "vorumaa": (4, 4),
}
SIZE, GAP = 120, 6
# Shades from none to the most, lightest first (the brand colour's tints; the text stays dark).
SHADES = ("#f3f7f6", "#d7ebe6", "#b3d9cf", "#8cc5b7", "#63ae9d")


@dataclass
class Tile:
    county: County
    count: int
    url: str
    x: int
    y: int
    shade: str


def county_map(counts: dict[int, int], url=None) -> dict:
    """The template context of forum/includes/county_map.html: a tile per county with its
    number (`counts` by county id) and, given `url`, its link (`url(county)`)."""
    return {
        "tiles": county_tiles(counts, url),
        "size": SIZE,
        "width": WIDTH,
        "height": HEIGHT,
    }


def county_tiles(counts: dict[int, int], url=None) -> list[Tile]:
    """A tile per county with its number (`counts` by county id) and link (`url(county)`)."""
    most = max(counts.values(), default=0)
    tiles = []
    for county in County.objects.all():
        row, column = TILES[county.slug]
        count = counts.get(county.pk, 0)
        level = 0 if not count else 1 + (len(SHADES) - 2) * count // max(most, 1)
        tiles.append(
            Tile(
                county=county,
                count=count,
                url=url(county) if url else "",
                x=column * (SIZE + GAP),
                y=row * (SIZE + GAP),
                shade=SHADES[min(level, len(SHADES) - 1)],
            )
        )
    return tiles


WIDTH = 5 * (SIZE + GAP) - GAP
HEIGHT = 5 * (SIZE + GAP) - GAP
