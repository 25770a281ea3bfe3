from django.contrib import admin

from .models import Document, Initiative, MasterPlan, PlanVersion


class InitiativeInline(admin.TabularInline):
    model = Initiative
    fields = ("title", "element", "layer", "start_year", "end_year", "is_quick_win")
    extra = 0


@admin.register(MasterPlan)
class MasterPlanAdmin(admin.ModelAdmin):
    list_display = ("title", "region", "period_start", "period_end", "status", "published")
    list_filter = ("status", "published")
    inlines = [InitiativeInline]


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    list_display = ("plan", "number", "event", "created_by", "created_at")
    readonly_fields = ("snapshot",)


admin.site.register(Document)
