"""The good-practice library (practices/): the seeded sources, drafts from published
reports, search and filters, publishing, the exports."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command

from practices.models import Practice


@pytest.fixture
def seeded(db):
    call_command("load_benchmarks", stdout=io.StringIO())
    call_command("load_practices", stdout=io.StringIO())


def test_the_sources_practices_are_loaded_with_their_cities(seeded):
    per_city = Counter()
    for practice in Practice.objects.prefetch_related("cities"):
        for city in practice.cities.all():
            per_city[(practice.programme, city.name_en)] += 1
        if practice.organisation:
            per_city[(practice.programme, practice.organisation)] += 1
    assert dict(per_city) == {
        ("INTI-CITIES", "Helsinki"): 5,
        ("INTI-CITIES", "Genoa"): 4,
        ("INTI-CITIES", "Rotterdam"): 4,
        ("INTI-CITIES", "Lyon"): 4,
        ("INTI-CITIES", "Düsseldorf"): 4,
        ("INTI-CITIES", "Malmö"): 3,
        ("INTI-CITIES", "EUROCITIES"): 1,
        ("DIVE", "Amsterdam"): 8,
        ("DIVE", "Berlin"): 8,
        ("DIVE", "Leeds"): 7,
        ("DIVE", "Rome"): 4,
    }
    assert Practice.objects.filter(programme="INTI-CITIES").count() == 24
    assert Practice.objects.filter(programme="DIVE").count() == 27
    shared = Practice.objects.get(cities__name_en="Genoa", slug__contains="rotterdam")
    assert sorted(c.name_en for c in shared.cities.all()) == ["Genoa", "Rotterdam"]


def test_loading_the_practices_twice_adds_nothing(seeded):
    call_command("load_practices", stdout=io.StringIO())
    assert Practice.objects.count() == 51


def test_seeded_practices_link_every_indicator_by_lineage(seeded):
    from practices.models import PracticeIndicator

    assert PracticeIndicator.objects.filter(lineage=None).count() == 0
    assert PracticeIndicator.objects.count() > 51


def test_seeded_practices_are_in_dutch_and_english(seeded):
    practice = Practice.objects.get(slug="inti-genoa-targeted-needs-assessments")
    assert practice.title_en == "Targeted needs assessments"
    assert practice.title_nl == "Gerichte behoeftenevaluaties"
    assert practice.cities.get().name_nl == "Genua"
