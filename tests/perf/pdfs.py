"""`make bench`: a PDF view against WeasyPrint alone on the HTML the view rendered."""

from __future__ import annotations

import time


def first_download(client, url: str):
    """GET the PDF view once (the warm-up), keeping the HTML it handed to the renderer:
    (response, html or None). The view looks `render_pdf` up on the module at call time, so
    a spy there sees the final HTML and calls the real renderer through."""
    from reports import pdf as pdf_module

    captured: dict = {}
    real_render = pdf_module.render_pdf

    def spy(html: str) -> bytes:
        captured["html"] = html
        return real_render(html)

    pdf_module.render_pdf = spy
    try:
        response = client.get(url)
    finally:
        pdf_module.render_pdf = real_render
    return response, captured.get("html")


def time_against_weasyprint(client, url: str, html: str, *, runs: int):
    """(view seconds, WeasyPrint-alone seconds) of `runs` downloads and renders, taken in
    turns so that both see the same machine."""
    from reports import pdf as pdf_module

    view_times, alone_times = [], []
    for _ in range(runs):
        start = time.perf_counter()
        client.get(url)
        view_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        pdf_module.render_pdf(html)
        alone_times.append(time.perf_counter() - start)
    return view_times, alone_times
