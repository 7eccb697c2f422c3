"""Benchmark files are checked against one schema before anything is written.

The filed cases go through the import page and the `import_benchmark` command; random
documents and workbooks (Hypothesis) go through the same reading and importing functions
the page calls. Every import either succeeds whole or lists its problems and writes nothing.
"""

from __future__ import annotations

import copy
import io
import json

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from benchmarks.models import Benchmark
from benchmarks.schema import document_problems
from benchmarks.services import ImportRejected, import_as_draft
from benchmarks.spreadsheet import read_upload, to_xlsx
from tests.conftest import small_benchmark_data


def _row_counts() -> dict[str, int]:
    """Rows of every benchmarks model, history included."""
    return {
        model._meta.label_lower: model._base_manager.count()
        for model in apps.get_app_config("benchmarks").get_models()
    }


def _json(data, name: str = "bench.json") -> SimpleUploadedFile:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return SimpleUploadedFile(name, raw, content_type="application/json")


def _nested(depth: int) -> bytes:
    return b'{"slug": "deep", "notes": ' + b"[" * depth + b"]" * depth + b"}"


def _groups_as_strings(d):
    d["groups"] = ["AA", "BB"]


def _groups_as_object(d):
    d["groups"] = {"AA": {"en": "Alpha"}}


def _text_as_string(d):
    d["indicators"][0]["text"] = "A plain string"


def _tags_as_string(d):
    d["indicators"][0]["tags"] = "policy_area:housing"


def _bad_slug(d):
    d["slug"] = "bad slug with spaces"


# (change to a valid document, a place the message names, words it says)
FILED = [
    (_groups_as_strings, "$.groups[0]", "object"),
    (_groups_as_object, "$.groups", "list"),
    (_text_as_string, "$.indicators[0].text", "object"),
    (_tags_as_string, "$.indicators[0].tags", "object"),
    (_bad_slug, "$.slug", "slug"),
]
FILED_IDS = ["groups-strings", "groups-object", "text-string", "tags-string", "bad-slug"]


def _filed_document(change) -> dict:
    data = small_benchmark_data(slug="filed")
    change(data)
    return data


@pytest.mark.parametrize(("change", "where", "words"), FILED, ids=FILED_IDS)
def test_a_wrongly_shaped_file_is_listed_on_the_import_page_and_nothing_is_saved(
    client_for, coordinator, post_job, change, where, words
):
    before = _row_counts()
    client = client_for(coordinator)
    response = post_job(
        client, reverse("benchmarks:import_new"), {"file": _json(_filed_document(change))}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported" in html
    assert where in html
    assert words in html.split(where, 1)[1].split("</tr>", 1)[0]
    assert _row_counts() == before
    assert client.get(reverse("benchmarks:list")).status_code == 200


@pytest.mark.parametrize(("change", "where", "words"), FILED, ids=FILED_IDS)
def test_a_wrongly_shaped_file_into_an_existing_benchmark_saves_nothing(
    make_benchmark, client_for, coordinator, post_job, change, where, words
):
    make_benchmark()
    before = _row_counts()
    response = post_job(
        client_for(coordinator),
        reverse("benchmarks:import", args=["mini"]),
        {"file": _json(_filed_document(change))},
    )
    assert response.status_code == 200
    if change is not _bad_slug:  # the slug of a file imported into a benchmark is not used
        assert where in response.content.decode()
    assert _row_counts() == before


@pytest.mark.parametrize(("change", "where", "words"), FILED, ids=FILED_IDS)
def test_the_import_command_lists_each_problem_of_a_wrongly_shaped_file(
    db, tmp_path, change, where, words
):
    path = tmp_path / "bench.json"
    path.write_text(json.dumps(_filed_document(change)))
    before = _row_counts()
    with pytest.raises(CommandError, match="Nothing imported") as raised:
        call_command("import_benchmark", str(path), stdout=io.StringIO())
    assert where in str(raised.value)
    assert _row_counts() == before


def test_every_problem_of_a_file_is_listed_at_once(db):
    data = small_benchmark_data()
    _groups_as_object(data)
    _text_as_string(data)
    _tags_as_string(data)
    _bad_slug(data)
    places = [p.where for p in document_problems(data)]
    assert places == ["$.groups", "$.indicators[0].tags", "$.indicators[0].text", "$.slug"]


@pytest.mark.parametrize("slug", ["bad slug with spaces", "x" * 51, "ümlaut", "inti-cities"])
def test_a_slug_is_checked_by_the_benchmark_forms_rule(db, slug):
    from benchmarks.forms import BenchmarkForm

    form = BenchmarkForm({"slug": slug, "name_en": "A name", "group_label_en": "Pillar"})
    form.is_valid()
    problems = document_problems(small_benchmark_data(slug=slug))
    assert [p.message for p in problems if p.where == "$.slug"] == form.errors.get("slug", [])


def test_an_unknown_key_is_named(db):
    data = small_benchmark_data()
    data["indicator"] = data.pop("indicators")
    places = {p.where: p.message for p in document_problems(data)}
    assert "indicator" in places["$"]
    assert "indicators" in places["$"]


@pytest.mark.parametrize("depth", [100, 100_000], ids=["deep", "deeper-than-python"])
def test_deeply_nested_json_is_refused_with_a_clear_message(
    client_for, coordinator, post_job, tmp_path, depth
):
    before = _row_counts()
    response = post_job(
        client_for(coordinator), reverse("benchmarks:import_new"), {"file": _json(_nested(depth))}
    )
    assert response.status_code == 200
    assert "nested too deeply" in response.content.decode()
    path = tmp_path / "deep.json"
    path.write_bytes(_nested(depth))
    with pytest.raises(CommandError, match="nested too deeply"):
        call_command("import_benchmark", str(path), stdout=io.StringIO())
    assert _row_counts() == before


def test_the_dry_run_checks_the_shape_too(db, tmp_path):
    path = tmp_path / "bench.json"
    path.write_text(json.dumps(_filed_document(_groups_as_object)))
    with pytest.raises(CommandError, match=r"\$\.groups"):
        call_command("import_benchmark", str(path), "--dry-run", stdout=io.StringIO())


def test_text_with_a_nul_character_is_refused(db):
    data = small_benchmark_data()
    data["indicators"][0]["text"]["en"] = "Nul \x00 inside"
    [problem] = document_problems(data)
    assert problem.where == "$.indicators[0].text.en"


def test_a_spreadsheet_problem_names_its_sheet_row_and_column(client_for, coordinator, post_job):
    data = small_benchmark_data(slug="sheet")
    data["groups"][0]["name"]["en"] = "N" * 201  # longer than a group's name may be
    response = post_job(
        client_for(coordinator),
        reverse("benchmarks:import_new"),
        {"file": SimpleUploadedFile("b.xlsx", to_xlsx(data))},
    )
    html = response.content.decode()
    assert "sheet groups, row 2, column name_en" in html
    assert "at most 200 characters" in html
    assert not Benchmark.objects.filter(slug="sheet").exists()


def test_a_benchmark_sheet_with_one_column_is_read(client_for, coordinator, post_job):
    wb = Workbook()
    wb.active.title = "benchmark"
    wb["benchmark"].append(["key"])
    wb["benchmark"].append(["slug"])
    wb.create_sheet("groups").append(["code", "name_en"])
    wb.create_sheet("indicators").append(["group", "number", "text_en"])
    out = io.BytesIO()
    wb.save(out)
    response = post_job(
        client_for(coordinator),
        reverse("benchmarks:import_new"),
        {"file": SimpleUploadedFile("b.xlsx", out.getvalue())},
    )
    assert response.status_code == 200
    assert "Nothing was imported" in response.content.decode()


def test_an_exported_version_imports_again(make_benchmark):
    from benchmarks.services import export_version

    data = export_version(make_benchmark(indicators=5))
    assert document_problems(data) == []
    assert document_problems(json.loads(json.dumps(data))) == []


# --- Random documents and workbooks (Hypothesis)

# Fast enough for every `make test` (a few seconds each); no example database on disk.
HYPOTHESIS = settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

ODD_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"])
    | st.sampled_from(["\x00", "\ufeff", "\u202e", "é", "𝔘", " "]),
    max_size=30,
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | ODD_TEXT
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ODD_TEXT, inner, max_size=4),
    max_leaves=20,
)
BASE = small_benchmark_data(slug="random", indicators=4)
BASE["tag_types"] = [
    {
        "code": "policy_area",
        "name": {"en": "Policy area"},
        "choices": [{"code": "housing", "name": {"en": "Housing"}}],
    }
]
BASE["indicators"][0]["tags"] = {"policy_area": ["housing"]}
BASE["glossary"] = [{"term": {"en": "Term"}, "definition": {"en": "Definition"}}]


def _paths(value, path=()):
    """Every place in a document: (path to it, the value there)."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _set(document, path, value):
    if not path:
        return value
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return document


@st.composite
def near_valid_documents(draw):
    """A valid document with a few places replaced, dropped, deepened or blown up."""
    document = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        places = list(_paths(document))
        path, value = draw(st.sampled_from(places))
        action = draw(st.sampled_from(["replace", "drop", "nest", "huge", "odd", "duplicate"]))
        if action == "drop" and path:
            parent = document
            for key in path[:-1]:
                parent = parent[key]
            del parent[path[-1]]
            continue
        if action == "nest":
            new = value
            for _ in range(draw(st.integers(min_value=1, max_value=60))):
                new = [new]
        elif action == "huge":
            new = "x" * draw(st.integers(min_value=100, max_value=70_000))
        elif action == "odd":
            new = draw(ODD_TEXT)
        elif action == "duplicate" and isinstance(value, list) and value:
            new = value + [copy.deepcopy(value[0])]
        else:
            new = draw(JSON_VALUES)
        document = _set(document, path, new)
    return document


CELL = (
    st.none()
    | st.integers(min_value=-(10**12), max_value=10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.booleans()
    | st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=20)
    | st.sampled_from(["AA", "BB", "X", "Y", "1", "mini", "slug", "policy_area:housing", "=1+1"])
    | st.just("N" * 250)
)
SHEETS = ["benchmark", "indicators", "groups", "values", "tag_types", "glossary", "other"]
HEADERS = ["key", "value", "slug", "group", "number", "text_en", "code", "name_en", "tags", "type"]


@st.composite
def random_workbooks(draw) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for title in draw(st.lists(st.sampled_from(SHEETS), min_size=1, max_size=5, unique=True)):
        ws = wb.create_sheet(title)
        width = draw(st.integers(min_value=0, max_value=6))
        if draw(st.booleans()):
            ws.append(draw(st.lists(st.sampled_from(HEADERS), min_size=width, max_size=width)))
        for _ in range(draw(st.integers(min_value=0, max_value=5))):
            ws.append(draw(st.lists(CELL, min_size=0, max_size=width + 1)))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@st.composite
def near_valid_workbooks(draw) -> bytes:
    """An exported workbook with a few cells changed, rows dropped or sheets renamed."""
    wb = load_workbook(io.BytesIO(to_xlsx(BASE)))
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        ws = wb[draw(st.sampled_from(wb.sheetnames))]
        action = draw(st.sampled_from(["cell", "cell", "cell", "drop_row", "rename"]))
        if action == "rename":
            ws.title = ws.title + "x"  # a required sheet goes missing
        elif action == "drop_row":
            ws.delete_rows(draw(st.integers(min_value=1, max_value=ws.max_row)))
        else:
            row = draw(st.integers(min_value=1, max_value=ws.max_row + 1))
            column = draw(st.integers(min_value=1, max_value=ws.max_column + 1))
            ws.cell(row=row, column=column, value=draw(CELL))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _import_or_reject(upload) -> None:
    """The import page's work: succeed whole, or list problems and leave every row as it was."""
    with transaction.atomic():
        before = _row_counts()
        try:
            data = read_upload(upload)
            version = import_as_draft(data)
        except ImportRejected as rejected:
            assert rejected.problems
            assert all(p.where and p.message for p in rejected.problems)
            assert _row_counts() == before
        else:
            assert version.indicators.count() == len(data["indicators"])
        transaction.set_rollback(True)


@HYPOTHESIS
@given(document=JSON_VALUES)
def test_any_json_value_is_imported_or_refused_never_crashes(db, document):
    _import_or_reject(_json(document))


@HYPOTHESIS
@given(document=near_valid_documents())
def test_a_near_valid_document_is_imported_whole_or_not_at_all(db, document):
    _import_or_reject(_json(document))


@HYPOTHESIS
@given(raw=near_valid_workbooks())
def test_a_near_valid_workbook_is_imported_whole_or_not_at_all(db, raw):
    _import_or_reject(SimpleUploadedFile("b.xlsx", raw))


@HYPOTHESIS
@given(raw=random_workbooks())
def test_any_workbook_is_imported_or_refused_never_crashes(db, raw):
    _import_or_reject(SimpleUploadedFile("b.xlsx", raw))
