from django.contrib import admin

from .models import EvaluationRound, Milestone, ProgressReport, SelfAssessment


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(admin.ModelAdmin):
    list_display = ("year", "opens_on", "closes_on", "scale_max")


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ("initiative", "reported_on", "percent", "status", "verified_at")
    list_filter = ("status",)
    raw_id_fields = ("initiative", "reported_by", "verified_by")


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ("initiative", "title", "due_on", "done_on")
    raw_id_fields = ("initiative",)


@admin.register(SelfAssessment)
class SelfAssessmentAdmin(admin.ModelAdmin):
    list_display = ("round", "region", "dimension", "self_score", "verified_score")
    list_filter = ("dimension",)
    raw_id_fields = ("region", "submitted_by", "assessor")
