"""How long a review keeps its interviewees' names, on the review's page."""

from django import template

from reviews.services.privacy import retention_with_end

register = template.Library()


@register.inclusion_tag("reviews/privacy/_retention.html", takes_context=True)
def review_retention(context, review):
    """The retention period's end for the team and managers; the way to the interviewees'
    data for coordinators. Nothing for anyone else."""
    user = context["request"].user
    if not user.has_perm("reviews.see_retention", review):
        return {"show": False}
    kept, done = retention_with_end(review)
    return {
        "show": True,
        "review": review,
        "retention": kept,
        "done": done,
        "can_handle": user.has_perm("reviews.handle_personal_data", review),
    }
