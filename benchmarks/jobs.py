"""The benchmark import as a background job: a large spreadsheet takes a while to read."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from benchmarks.models import Benchmark
from benchmarks.schema import ImportRejected
from benchmarks.services import import_as_draft
from benchmarks.spreadsheet import read_upload
from jobs import kinds

IMPORT = "benchmark_import"


def run_import(job, *, benchmark_id: int | None = None) -> None:
    """Read the job's file and import it as a new draft (into `benchmark_id`, or a new
    benchmark); every problem is listed on the job page and nothing is saved."""
    benchmark = Benchmark.objects.get(pk=benchmark_id) if benchmark_id else None
    job.report(5, _("Reading the file."))
    try:
        with job.input_file.open("rb") as upload:
            data = read_upload(upload)
        job.report(
            40,
            ngettext(
                "Checking and saving %(n)s indicator.",
                "Checking and saving %(n)s indicators.",
                len(data.get("indicators", [])),
            )
            % {"n": len(data.get("indicators", []))},
        )
        version = import_as_draft(data, benchmark=benchmark, by=job.started_by)
    except ImportRejected as rejected:
        n = len(rejected.problems)
        raise kinds.JobRefused(
            ngettext(
                "Nothing was imported: %(counter)s problem.",
                "Nothing was imported: %(counter)s problems.",
                n,
            )
            % {"counter": n},
            [(p.where, p.message) for p in rejected.problems],
        ) from None
    count = version.indicators.count()
    job.succeed(
        ngettext(
            "Imported %(n)s indicator as draft version %(v)s.",
            "Imported %(n)s indicators as draft version %(v)s.",
            count,
        )
        % {"n": count, "v": version.number},
        url=version.get_absolute_url(),
    )


def register() -> None:
    kinds.register(IMPORT, label=gettext_lazy("Import a benchmark"), run=run_import)
