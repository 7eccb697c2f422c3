"""Cities: everyone signed in reads them; coordinators and the city's own staff edit the profile."""

import rules

from core.roles import is_coordinator


@rules.predicate
def works_for(user, city) -> bool:
    # Trustworthy because nobody sets their own city: a coordinator does (`set_person_city`).
    return city is not None and getattr(user, "city_id", None) == city.pk


rules.add_perm("cities.edit_city_profile", rules.is_authenticated & (is_coordinator | works_for))
rules.add_perm("cities.add_city_page", is_coordinator)
# The city a person works for decides conflicts of interest: only coordinators set it.
rules.add_perm("cities.set_person_city", is_coordinator)
