"""Range maps: how far a weapon reaches from a place, drawn true and named in words.

A map is a static SVG in the page: the weapon's ``range_km`` as a geodesic
ring on the WGS84 ellipsoid around each place, in an azimuthal equidistant
projection centred on the first place (so the ring around it is a true circle
and every distance from it is true), over Natural Earth's country borders
(shipped in ``data/``), with a text alternative that names, in the page's
language and collation order, every country each ring reaches.

- ``places.py``     the ``places.yaml`` records (name, coordinates, country)
- ``embed.py``      ``[[map:weapon@place,place]]``: its syntax, and the checks that need the whole site
- ``geodesy.py``    rings and distances on the ellipsoid, the projection (pyproj)
- ``borders.py``    the country borders: loaded, chosen, projected, clipped and simplified (shapely)
- ``geometry.py``   one map's geometry, the same in every language
- ``labels.py``     which country names fit where, in one language
- ``svg.py``        the SVG, with fixed number formatting
- ``alternative.py`` the text alternative: countries reached, collated, with plural forms
- ``figure.py``     what a page shows: the SVG, its caption and its text alternative
"""
