from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("region/<str:code>/", views.region, name="region"),
    path("region/<str:code>/evaluation/<int:year>/", views.region_evaluation, name="evaluation"),
    path("region/<str:code>/evaluation/<int:year>/survey/", views.upload_survey, name="survey"),
    path("region/<str:code>/evaluation/<int:year>/answers/", views.enter_answers, name="answers"),
    path("initiative/<int:pk>/", views.initiative, name="initiative"),
    path("initiative/<int:pk>/milestones/", views.add_milestone, name="add-milestone"),
    path("milestones/<int:pk>/done/", views.complete_milestone, name="complete-milestone"),
    path("reports/<int:pk>/verify/", views.verify, name="verify"),
    path("assessments/<int:pk>/verify/", views.verify_assessment, name="verify-assessment"),
]
