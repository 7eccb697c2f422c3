"""Step 7 follow-up: the host city's response, the action plan, progress. (Being written.)"""

from django.http import Http404


def _todo(*args, **kwargs):
    raise Http404


responses = response_edit = action_plan = action_plan_pdf = action_plan_xlsx = _todo
progress_edit = checkpoints = commitments = _todo
