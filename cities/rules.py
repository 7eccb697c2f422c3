"""Cities: everyone signed in reads them; coordinators and the city's own staff edit the profile."""

import rules

from core.roles import is_coordinator


@rules.predicate
def works_for(user, city) -> bool:
    return city is not None and getattr(user, "city_id", None) == city.pk


rules.add_perm("cities.edit_city_profile", rules.is_authenticated & (is_coordinator | works_for))
rules.add_perm("cities.add_city_page", is_coordinator)
