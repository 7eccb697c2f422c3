"""Benchmarks: codes, freezing, versions, diff, fixtures, import and export, pages."""

from __future__ import annotations

import io
import json
import re
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from benchmarks.models import Benchmark, BenchmarkVersion, Group, Indicator, VersionReviewer
from benchmarks.services import (
    ImportRejected,
    compare_versions,
    export_version,
    import_version,
    start_new_draft,
)
from benchmarks.spreadsheet import to_xlsx
from tests.conftest import small_benchmark_data

INTI_CELLS = {
    "GG": [6, 3, 5, 4, 6],
    "IE": [2, 1, 3, 6, 2],
    "IC": [5, 1, 3, 2, 2],
    "WP": [2, 2, 5, 9, 4],
}


# --- Codes, freezing, versions, diff


def test_codes_follow_the_source_style(make_benchmark):
    version = make_benchmark(indicators=5)
    assert sorted(version.indicators.values_list("code", flat=True)) == [
        "AA/X/1",
        "AA/X/2",
        "AA/Y/1",
        "BB/X/1",
        "BB/Y/1",
    ]


def test_codes_without_values_are_group_and_number(db):
    data = small_benchmark_data()
    data["values"] = []
    for row in data["indicators"]:
        row["value"] = None
    data["indicators"][1]["number"] = 2
    version = import_version(data)
    assert set(version.indicators.values_list("code", flat=True)) == {"AA/1", "BB/1", "AA/2"}


def test_duplicate_number_in_a_cell_is_refused(make_benchmark):
    version = make_benchmark(publish=False)
    group = version.groups.get(code="AA")
    value = version.values.get(code="X")
    duplicate = Indicator(version=version, group=group, value=value, number=1, text="Again")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "number" in error.value.message_dict


def test_published_version_is_frozen_in_the_model(make_benchmark):
    version = make_benchmark(publish=True)
    indicator = version.indicators.first()
    indicator.text = "Changed behind the UI's back"
    with pytest.raises(ValidationError):
        indicator.save()
    with pytest.raises(ValidationError):
        indicator.delete()
    with pytest.raises(ValidationError):
        Group.objects.create(version=version, code="CC", name="New")
    version.notes = "edit"
    with pytest.raises(ValidationError):
        version.save()
    level = version.ratingscales.get(purpose="evidence").levels.first()
    level.label = "Renamed"
    with pytest.raises(ValidationError):
        level.save()
    assert Indicator.objects.get(pk=indicator.pk).text != "Changed behind the UI's back"


def test_new_draft_copies_content_and_keeps_lineage(make_benchmark):
    v1 = make_benchmark()
    v2 = start_new_draft(v1)
    assert (v2.number, v2.status, v2.based_on) == (2, "draft", v1)
    assert set(v2.indicators.values_list("lineage", flat=True)) == set(
        v1.indicators.values_list("lineage", flat=True)
    )
    with pytest.raises(ValidationError, match="already has a draft"):
        start_new_draft(v1)


def test_diff_reports_added_removed_reworded_and_moved(make_benchmark):
    v1 = make_benchmark(indicators=4)
    v2 = start_new_draft(v1)
    reworded = v2.indicators.get(code="AA/X/1")
    reworded.text_en = "A new wording"
    reworded.save()
    moved = v2.indicators.get(code="BB/X/1")
    moved.number = 5
    moved.save()
    v2.indicators.get(code="AA/Y/1").delete()
    Indicator.objects.create(
        version=v2,
        group=v2.groups.get(code="BB"),
        value=v2.values.get(code="X"),
        number=7,
        text="Fresh",
    )
    diff = compare_versions(v1, v2)
    assert [c.code for c in diff.added] == ["BB/X/7"]
    assert [c.code for c in diff.removed] == ["AA/Y/1"]
    assert [(c.code, c.new_text) for c in diff.reworded] == [("AA/X/1", "A new wording")]
    assert [(c.old_code, c.code) for c in diff.moved] == [("BB/X/1", "BB/X/5")]


def test_publishing_without_every_approval_needs_a_recorded_reason(
    make_benchmark, peer, coordinator
):
    draft = make_benchmark(publish=False)
    VersionReviewer.objects.create(version=draft, user=peer)
    with pytest.raises(ValidationError, match="Not every reviewer has approved"):
        draft.publish(by=coordinator)
    draft.publish(by=coordinator, override_reason="Training starts Monday")
    draft.refresh_from_db()
    assert draft.is_published
    assert draft.override_reason == "Training starts Monday"
    assert draft.published_by == coordinator


def test_review_stays_tied_to_its_version(make_benchmark, review):
    v1 = make_benchmark()
    review.benchmark_version = v1
    review.save()
    other = make_benchmark(slug="other")
    review.benchmark_version = other
    with pytest.raises(ValidationError):
        review.full_clean()
    with pytest.raises(ValidationError):
        review.save()
    review.refresh_from_db()
    assert review.benchmark_version == v1


# --- Fixtures


@pytest.fixture
def loaded(db):
    call_command("load_benchmarks", stdout=io.StringIO())


def test_inti_cities_fixture_has_the_cell_counts_of_the_source(loaded):
    version = BenchmarkVersion.objects.get(benchmark__slug="inti-cities", number=1)
    assert version.is_published
    counts = Counter(version.indicators.values_list("group__code", "value__code"))
    values = list(version.values.values_list("code", flat=True))
    assert values == ["A", "L", "R", "I", "E"]
    for group, expected in INTI_CELLS.items():
        assert [counts[(group, v)] for v in values] == expected, group
    assert version.indicators.count() == 73


def test_inti_cities_texts_in_english_and_dutch(loaded):
    version = BenchmarkVersion.objects.get(benchmark__slug="inti-cities")
    first = version.indicators.get(code="GG/A/1")
    assert "strategic plan" in first.text_en
    assert "strategisch plan" in first.text_nl
    assert version.groups.get(code="GG").name_nl == "Algemeen bestuur"
    assert not version.indicators.filter(text_nl="").exists()


def test_dive_fixture_has_three_roles_tags_and_glossary(loaded):
    version = BenchmarkVersion.objects.get(benchmark__slug="dive")
    counts = Counter(version.indicators.values_list("group__code", flat=True))
    assert [counts[g] for g in ("PS", "EM", "BU")] == [12, 6, 7]
    assert not version.values.exists()
    assert version.indicators.get(code="PS/1").tags == {"policy_area": ["housing"]}
    areas = version.tagtypes.get(code="policy_area").choices.values_list("code", flat=True)
    assert set(areas) == {"housing", "education", "labour_market", "entrepreneurship"}
    migrant_business = version.glossaryentrys.get(term_en="Migrant business")
    assert "51%" in migrant_business.definition_en


def test_loading_twice_changes_nothing(loaded):
    before = Indicator.objects.count()
    call_command("load_benchmarks", stdout=io.StringIO())
    assert Indicator.objects.count() == before == 98


# --- Import and export


def _xlsx(data: dict) -> SimpleUploadedFile:
    return SimpleUploadedFile("bench.xlsx", to_xlsx(data))


def _exported(version) -> dict:
    return export_version(version)


def test_export_import_round_trip_through_a_spreadsheet(
    make_benchmark, client_for, coordinator, post_job
):
    v1 = make_benchmark(indicators=4)
    response = client_for(coordinator).get(reverse("benchmarks:export", args=["mini", 1, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content))["indicators"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["group", "value", "number", "code"]
    assert sheet.max_row == 5
    upload = SimpleUploadedFile("v.xlsx", response.content)
    response = post_job(
        client_for(coordinator), reverse("benchmarks:import", args=["mini"]), {"file": upload}
    )
    assert "Imported 4 indicators as draft version 2." in response.content.decode()
    v2 = BenchmarkVersion.objects.get(benchmark=v1.benchmark, number=2)
    assert v2.status == "draft"
    assert sorted(v2.indicators.values_list("code", "text_nl")) == sorted(
        v1.indicators.values_list("code", "text_nl")
    )


def test_json_export_has_every_indicator_with_both_languages(make_benchmark, client_for, peer):
    make_benchmark(indicators=3)
    response = client_for(peer).get(reverse("benchmarks:export", args=["mini", 1, "json"]))
    data = json.loads(response.content)
    assert [i["code"] for i in data["indicators"]] == ["AA/X/1", "AA/Y/1", "BB/X/1"]
    assert data["indicators"][0]["text"] == {"en": "Indicator text 0", "nl": "Indicatortekst 0"}


@pytest.fixture
def import_new(post_job):
    """Import a new benchmark from a file, through its job: the job's page, or the form."""

    def post(client, upload):
        return post_job(client, reverse("benchmarks:import_new"), {"file": upload})

    return post


@pytest.mark.parametrize(
    ("mutate", "expected", "sheet_row"),
    [
        (lambda d: d["indicators"][0].update(group="ZZ"), "Unknown group 'ZZ'", 2),
        (lambda d: d["indicators"][1].update(group="AA", value="X", number=1), "is used twice", 3),
        (lambda d: d["indicators"][2].update(text={"en": "  "}), "The English text is empty", 4),
        (lambda d: d["indicators"][0].update(value=None), "the value is missing", 2),
    ],
    ids=["unknown-group", "duplicate-number", "empty-text", "missing-value"],
)
def test_bad_spreadsheet_rows_are_listed_and_nothing_is_saved(
    client_for, coordinator, import_new, mutate, expected, sheet_row
):
    data = small_benchmark_data(slug="fresh")
    mutate(data)
    data.update(tag_types=[], glossary=[])
    for row in data["indicators"]:
        row.setdefault("code", "")
        row.setdefault("guidance", {})
        row.setdefault("tags", {})
    response = import_new(client_for(coordinator), _xlsx(data))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in html
    problems = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td></tr>", html.replace("&#x27;", "'"))
    # The problem names the spreadsheet row it is on (row 1 is the header).
    assert any(
        f"row {sheet_row}" in where and expected in problem for where, problem in problems
    ), problems
    assert not Benchmark.objects.filter(slug="fresh").exists()


def test_spreadsheet_without_a_required_column_is_rejected(client_for, coordinator, import_new):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "groups"
    wb["groups"].append(["code", "name_en"])
    wb["groups"].append(["AA", "Alpha"])
    ws = wb.create_sheet("indicators")
    ws.append(["group", "number"])  # no text_en
    ws.append(["AA", 1])
    out = io.BytesIO()
    wb.save(out)
    response = import_new(client_for(coordinator), SimpleUploadedFile("b.xlsx", out.getvalue()))
    assert "Column &#x27;text_en&#x27; is missing" in response.content.decode()
    assert Benchmark.objects.count() == 0


def test_wrong_file_type_is_rejected(client_for, coordinator, import_new):
    fake = SimpleUploadedFile("bench.xlsx", b"%PDF-1.7 not a spreadsheet")
    response = import_new(client_for(coordinator), fake)
    assert "neither an Excel spreadsheet" in response.content.decode()
    assert Benchmark.objects.count() == 0


def test_oversized_file_is_rejected_at_the_field(client_for, coordinator, settings, import_new):
    settings.BENCHMARK_IMPORT_MAX_BYTES = 1000
    big = SimpleUploadedFile("bench.xlsx", b"PK\x03\x04" + b"0" * 2000)
    response = import_new(client_for(coordinator), big)
    assert "The file is too large" in response.content.decode()
    assert Benchmark.objects.count() == 0


def test_import_command_and_export_command(tmp_path, make_benchmark):
    make_benchmark(indicators=3)
    out = tmp_path / "mini.xlsx"
    call_command("export_benchmark", "mini", "1", str(out), stdout=io.StringIO())
    assert out.stat().st_size > 0
    stdout = io.StringIO()
    call_command("import_benchmark", str(out), "--into", "mini", stdout=stdout)
    assert "draft version 2" in stdout.getvalue()
    bad = tmp_path / "bad.json"
    data = small_benchmark_data(slug="bad")
    data["indicators"][0]["group"] = "QQ"
    bad.write_text(json.dumps(data))
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Unknown group"):
        call_command("import_benchmark", str(bad), stdout=io.StringIO())
    assert not Benchmark.objects.filter(slug="bad").exists()


def test_import_rejects_in_one_transaction(db):
    data = small_benchmark_data(slug="atomic")
    data["indicators"][2]["group"] = "NOPE"
    with pytest.raises(ImportRejected):
        import_version(data)
    assert not Benchmark.objects.filter(slug="atomic").exists()


# --- Pages


def test_matrix_page_shows_cells_with_codes_and_counts(make_benchmark, client_for, peer):
    make_benchmark(indicators=5)
    html = client_for(peer).get(reverse("benchmarks:version", args=["mini", 1])).content.decode()
    assert "AA/X/1" in html and "AA/X/2" in html
    assert "Pillar (rows) by Value (columns)" in html


def test_benchmark_text_follows_the_language_with_english_fallback(
    make_benchmark, client_for, peer
):
    version = make_benchmark(indicators=1)
    peer.preferred_language = "nl"
    peer.save()
    html = client_for(peer).get(version.get_absolute_url()).content.decode()
    assert "Indicatortekst 0" in html and "Alfa" in html
    assert "Alpha standard" in html  # no Dutch standard: English shown


@pytest.mark.parametrize("size", [5, 73])
def test_matrix_query_count_does_not_grow_with_indicators(
    make_benchmark, client_for, peer, django_assert_max_num_queries, size
):
    make_benchmark(indicators=size)
    client = client_for(peer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("benchmarks:version", args=["mini", 1]))
    assert response.status_code == 200


def test_coordinator_adds_an_indicator_with_field_errors_kept(
    make_benchmark, client_for, coordinator
):
    draft = make_benchmark(publish=False)
    url = reverse("benchmarks:part_add", args=["mini", 1, "indicator"])
    group = draft.groups.get(code="AA")
    value = draft.values.get(code="X")
    response = client_for(coordinator).post(
        url,
        {"group": group.pk, "value": value.pk, "number": 1, "text_en": "Clash", "edit_version": 1},
    )
    assert response.status_code == 200
    assert "already used in this cell" in response.content.decode()
    assert "Clash" in response.content.decode()
    response = client_for(coordinator).post(
        url,
        {"group": group.pk, "value": value.pk, "number": 2, "text_en": "Second", "edit_version": 1},
    )
    assert response.status_code == 302
    assert draft.indicators.get(code="AA/X/2").text == "Second"


def test_peer_approves_a_circulated_draft(benchmark_versions, client_for, peer):
    _published, draft = benchmark_versions
    client_for(peer).post(reverse("benchmarks:approve", args=["mini", draft.number]))
    assert draft.reviewers.get(user=peer).approved_at is not None


def test_duplicate_group_code_is_refused_at_the_field(make_benchmark, client_for, coordinator):
    make_benchmark(publish=False)
    response = client_for(coordinator).post(
        reverse("benchmarks:part_add", args=["mini", 1, "group"]),
        {"code": "aa", "name_en": "Again", "edit_version": 1},
    )
    assert "Another group already has this code" in response.content.decode()
    assert Group.objects.filter(code="AA").count() == 1


def test_new_benchmark_gets_the_methods_rating_scales(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("benchmarks:create"),
        {"slug": "charter", "name_en": "Charter", "group_label_en": "Role"},
    )
    assert response.status_code == 302
    version = BenchmarkVersion.objects.get(benchmark__slug="charter")
    performance = version.ratingscales.get(purpose="performance")
    assert list(performance.levels.values_list("code", flat=True)) == [
        "below",
        "above",
        "well_above",
        "more_info",
    ]


def test_matrix_puts_each_indicator_in_its_cell_with_totals(make_benchmark):
    matrix = make_benchmark(indicators=5).matrix()
    assert [v.code for v in matrix.values] == ["X", "Y"]
    cells = {row.group.code: [[i.code for i in cell] for cell in row.cells] for row in matrix.rows}
    assert cells == {"AA": [["AA/X/1", "AA/X/2"], ["AA/Y/1"]], "BB": [["BB/X/1"], ["BB/Y/1"]]}
    assert matrix.value_totals == [3, 2]
    assert matrix.indicator_count == 5


def test_empty_comment_is_refused_at_the_field(benchmark_versions, client_for, peer):
    _published, draft = benchmark_versions
    indicator = draft.indicators.first()
    response = client_for(peer).post(
        reverse("benchmarks:comment", args=["mini", draft.number, indicator.pk]), {"text": ""}
    )
    assert response.status_code == 200
    assert 'href="#id_text"' in response.content.decode()
    assert not indicator.comments.exists()


def test_import_into_a_benchmark_that_has_a_draft_is_refused(
    benchmark_versions, client_for, coordinator, post_job
):
    published, _draft = benchmark_versions
    upload = SimpleUploadedFile("v.xlsx", to_xlsx(export_version(published)))
    response = post_job(
        client_for(coordinator), reverse("benchmarks:import", args=["mini"]), {"file": upload}
    )
    assert "already has a draft" in response.content.decode()
    assert published.benchmark.versions.count() == 2


def test_import_of_a_new_benchmark_with_a_taken_short_name_is_refused(
    make_benchmark, client_for, coordinator, import_new
):
    version = make_benchmark()
    upload = SimpleUploadedFile("v.xlsx", to_xlsx(export_version(version)))
    response = import_new(client_for(coordinator), upload)
    assert "import into it from its page" in response.content.decode()
    assert BenchmarkVersion.objects.count() == 1


# --- Glossary, tag types, scales and ordering in the draft editor


def _add_part(client, kind: str, data: dict):
    return client.post(reverse("benchmarks:part_add", args=["mini", 1, kind]), data)


def test_coordinator_adds_a_glossary_term(make_benchmark, client_for, coordinator):
    draft = make_benchmark(publish=False)
    client = client_for(coordinator)
    response = _add_part(client, "term", {"term_en": "Migrant business", "edit_version": 1})
    assert 'href="#id_definition_en"' in response.content.decode()
    response = _add_part(
        client,
        "term",
        {
            "term_en": "Migrant business",
            "definition_en": "51% owned by migrants",
            "edit_version": 1,
        },
    )
    assert response.status_code == 302
    assert draft.glossaryentrys.get().definition_en == "51% owned by migrants"


def test_tag_type_with_choices_and_a_used_choice_cannot_be_removed(
    make_benchmark, client_for, coordinator
):
    draft = make_benchmark(publish=False)
    client = client_for(coordinator)
    response = _add_part(
        client,
        "tagtype",
        {
            "code": "policy_area",
            "name_en": "Policy area",
            "choices_text": "housing | Housing | Huisvesting\neducation | Education | Onderwijs",
            "edit_version": 1,
        },
    )
    assert response.status_code == 302
    tag_type = draft.tagtypes.get()
    assert [(c.code, c.name_nl) for c in tag_type.choices.all()] == [
        ("housing", "Huisvesting"),
        ("education", "Onderwijs"),
    ]
    indicator = draft.indicators.get(code="AA/X/1")
    indicator.tags = {"policy_area": ["housing"]}
    indicator.save()
    edit = reverse("benchmarks:part_edit", args=["mini", 1, "tagtype", tag_type.pk])
    response = client.post(
        edit,
        {
            "name_en": "Policy area",
            "choices_text": "education | Education | Onderwijs",
            "edit_version": 1,
        },
    )
    assert "housing is used by AA/X/1" in response.content.decode()
    assert tag_type.choices.count() == 2
    delete = reverse("benchmarks:part_delete", args=["mini", 1, "tagtype", tag_type.pk])
    response = client.post(delete, follow=True)
    assert "is used by AA/X/1" in response.content.decode()
    assert draft.tagtypes.exists()


def test_malformed_choice_lines_are_listed(make_benchmark, client_for, coordinator):
    make_benchmark(publish=False)
    response = _add_part(
        client_for(coordinator),
        "tagtype",
        {
            "code": "kind",
            "name_en": "Kind",
            "choices_text": "Outcome!\nok | OK\nok | Again",
            "edit_version": 1,
        },
    )
    html = response.content.decode()
    assert "Line 1: write code | English name | Dutch name." in html
    assert "Line 3: the code ok is used twice." in html


def test_coordinator_edits_scale_levels_in_order(make_benchmark, client_for, coordinator):
    draft = make_benchmark(publish=False)
    scale = draft.ratingscales.get(purpose="performance")
    levels = list(scale.levels.all())
    url = reverse("benchmarks:scale_edit", args=["mini", 1, scale.pk])
    data = {
        "name_en": "Index score",
        "edit_version": 1,
        "levels-TOTAL_FORMS": len(levels) + 1,
        "levels-INITIAL_FORMS": len(levels),
        "levels-MIN_NUM_FORMS": 0,
        "levels-MAX_NUM_FORMS": 1000,
    }
    for i, level in enumerate(levels):
        data |= {
            f"levels-{i}-id": level.pk,
            f"levels-{i}-scale": scale.pk,
            f"levels-{i}-code": level.code,
            f"levels-{i}-label_en": level.label_en,
            f"levels-{i}-colour": level.colour,
            f"levels-{i}-score": "" if level.score is None else level.score,
        }
    data["levels-3-DELETE"] = "on"  # "more information needed"
    data |= {
        "levels-4-code": "top",
        "levels-4-label_en": "Top",
        "levels-4-colour": "#000000",
        "levels-4-score": "100",
    }
    response = client_for(coordinator).post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    scale.refresh_from_db()
    assert scale.name_en == "Index score"
    assert list(scale.levels.values_list("code", "order")) == [
        ("below", 0),
        ("above", 1),
        ("well_above", 2),
        ("top", 3),
    ]
    data["levels-1-colour"] = "red"
    response = client_for(coordinator).post(url, {**data, "edit_version": 2})
    assert "Use #rrggbb." in response.content.decode()


def test_indicator_moves_within_its_cell_and_keeps_its_lineage(
    make_benchmark, client_for, coordinator
):
    draft = make_benchmark(indicators=5, publish=False)
    first, second = draft.indicators.get(code="AA/X/1"), draft.indicators.get(code="AA/X/2")
    url = reverse("benchmarks:part_move", args=["mini", 1, "indicator", second.pk, "up"])
    client_for(coordinator).post(url)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.code, second.code) == ("AA/X/2", "AA/X/1")
    client_for(coordinator).post(url)  # already first: nothing changes
    second.refresh_from_db()
    assert second.code == "AA/X/1"


def test_groups_reorder(make_benchmark, client_for, coordinator):
    draft = make_benchmark(publish=False)
    beta = draft.groups.get(code="BB")
    client_for(coordinator).post(
        reverse("benchmarks:part_move", args=["mini", 1, "group", beta.pk, "up"])
    )
    assert list(draft.groups.values_list("code", flat=True)) == ["BB", "AA"]


def test_comments_are_limited_per_hour(benchmark_versions, client_for, peer, settings):
    settings.POSTING_LIMIT_PER_HOUR = 1
    _published, draft = benchmark_versions
    indicator = draft.indicators.first()
    url = reverse("benchmarks:comment", args=["mini", draft.number, indicator.pk])
    client_for(peer).post(url, {"text": "First"})
    response = client_for(peer).post(url, {"text": "Second"})
    assert "many comments this hour" in response.content.decode()
    assert indicator.comments.count() == 1
