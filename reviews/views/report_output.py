"""Step 7 outputs: the report PDF and DOCX, and the public read link. (Being written.)"""

from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


pdf = docx = share = public = public_pdf = _todo
