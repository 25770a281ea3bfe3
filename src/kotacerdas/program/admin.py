from django.contrib import admin

from .models import Cohort, FollowUp, GuidanceSession, MentorTeam, Mou, Participation, SessionOutput


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("year", "title", "quota_kabkota", "quota_provinces", "selection_published", "is_example")


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ("cohort", "region", "province", "invited_via", "selected", "plan_approved_on")
    list_filter = ("cohort", "selected", "invited_via")
    search_fields = ("region__name", "region__code", "province__name")
    autocomplete_fields = ("region",)


@admin.register(MentorTeam)
class MentorTeamAdmin(admin.ModelAdmin):
    list_display = ("name", "kind")
    filter_horizontal = ("members",)


class OutputInline(admin.TabularInline):
    model = SessionOutput
    extra = 0


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    extra = 0


@admin.register(GuidanceSession)
class GuidanceSessionAdmin(admin.ModelAdmin):
    list_display = ("participation", "kind", "starts_at", "held")
    list_filter = ("kind", "held")
    inlines = [OutputInline, FollowUpInline]


admin.site.register(Mou)
