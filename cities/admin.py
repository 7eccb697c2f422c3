from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cities.models import City, User


@admin.register(City)
class CityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "country", "population", "languages"]
    list_filter = ["country"]
    search_fields = ["name", "country"]


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    ordering = ["name"]
    list_display = [
        "name",
        "email",
        "initials",
        "city",
        "is_coordinator",
        "is_active",
        "last_login",
    ]
    list_filter = ["is_coordinator", "is_active", "city"]
    search_fields = ["name", "email", "initials"]
    list_select_related = ["city"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "name",
                    "initials",
                    "city",
                    "city_role",
                    "preferred_language",
                    "wants_reminders",
                ]
            },
        ),
        (_("Access"), {"fields": ["is_active", "is_coordinator", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "name", "initials", "city", "password1", "password2"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = []

    def get_readonly_fields(self, request, obj=None):
        # A person's city decides conflicts of interest in every review they are on; it is
        # changed on the "People" page, which re-checks those reviews and keeps the reason.
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "city"] if obj is not None else fields


# People and roles live on the user and on review memberships; Django's groups are unused.
admin.site.unregister(Group)
