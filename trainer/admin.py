"""The admin: administrators give staff accounts a facilitator's role in an organisation.

Players' results are not here: facilitators see them in their own area, and authors,
who work in this admin, cannot touch them.
"""

from django.contrib import admin

from trainer.models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
