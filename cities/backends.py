"""Sign-in by e-mail address (case-insensitive) and admin rights for coordinators."""

from django.contrib.auth.backends import ModelBackend

# Apps whose models coordinators manage in the admin (axes: to lift a sign-in lockout;
# mail: to send a failed e-mail again; practices: the good-practice library).
COORDINATOR_APPS = {"cities", "benchmarks", "reviews", "practices", "reports", "axes", "mail"}
ADMIN_ACTIONS = {"add", "change", "delete", "view"}


def _is_admin_model_perm(perm: str) -> bool:
    """True for Django's model permissions ("reviews.change_review") in our apps.

    Object rules that the permissions modules define (e.g. "reviews.see_review")
    are left to `rules`, so being a coordinator never grants them by accident.
    """
    app_label, _, codename = perm.partition(".")
    return app_label in COORDINATOR_APPS and codename.split("_", 1)[0] in ADMIN_ACTIONS


def _is_coordinator(user_obj) -> bool:
    return user_obj.is_active and getattr(user_obj, "is_coordinator", False)


class EmailBackend(ModelBackend):
    """Django's per-user and group permissions are not used: roles are the coordinator flag
    and review memberships (see the rules modules), so no permission tables are read."""

    def has_perm(self, user_obj, perm: str, obj=None) -> bool:
        if not user_obj.is_active:
            return False
        if user_obj.is_superuser:
            return True
        return obj is None and _is_coordinator(user_obj) and _is_admin_model_perm(perm)

    def has_module_perms(self, user_obj, app_label: str) -> bool:
        if not user_obj.is_active:
            return False
        return user_obj.is_superuser or (
            _is_coordinator(user_obj) and app_label in COORDINATOR_APPS
        )
