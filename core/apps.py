from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: edit versions and conflicts, posting limits, role predicates,
    form helpers, rich text. It knows no other app of the project."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from core import history  # noqa: F401  (connects the signal handler)
