"""Built-in gazetteers: the administrative areas Demine knows for a country out of the box.

Azerbaijan's districts (names, spellings, reporting order; approximate shapes) let an
empty database take a published bulletin at once. Other countries bring their own
``admin-areas`` file.
"""

from __future__ import annotations

from demine.domain.entities import AdminArea


def gazetteer(country: str) -> tuple[AdminArea, ...]:
    """The country and its districts, if Demine ships them; otherwise nothing."""
    if country == "AZ":
        from demine.demo.districts import country_area, district_areas

        return (country_area(), *district_areas())
    return ()
