from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("participation/<int:pk>/", views.open_for_participation, name="open"),
    path("<int:pk>/", views.submission_page, name="submission"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/evidence/", views.upload_evidence, name="evidence"),
    path("<int:pk>/office/", views.return_or_reopen, name="office"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence-file"),
    path("reviews/", views.my_reviews, name="my-reviews"),
    path("reviews/<int:pk>/", views.review_page, name="review"),
    path("questionnaires/", views.questionnaire_list, name="questionnaires"),
    path("questionnaires/<int:pk>.xlsx", views.questionnaire_xlsx, name="questionnaire-xlsx"),
]
