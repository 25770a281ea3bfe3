from django.contrib import admin

from .models import Criterion, Dimension, Questionnaire, ReviewAssignment, Submission


class DimensionInline(admin.TabularInline):
    model = Dimension
    extra = 0


@admin.register(Questionnaire)
class QuestionnaireAdmin(admin.ModelAdmin):
    list_display = ("version", "title", "published", "disagreement_threshold")
    inlines = [DimensionInline]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "dimension",
        "sub_element",
        "scale_min",
        "scale_max",
        "weight",
        "evidence_required",
    )
    list_filter = ("dimension__questionnaire",)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("participation", "status", "submitted_at", "final_score", "needs_third_review")
    list_filter = ("status", "participation__cohort")


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(admin.ModelAdmin):
    list_display = ("submission", "reviewer", "is_third_review", "completed_at")
