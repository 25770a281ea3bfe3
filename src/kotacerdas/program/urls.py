from django.urls import path

from . import views

app_name = "program"
urlpatterns = [
    path("", views.cohort_list, name="cohorts"),
    path("new/", views.cohort_create, name="cohort-create"),
    path("<int:year>/", views.cohort_detail, name="cohort"),
    path("<int:year>/candidates/", views.candidates, name="candidates"),
    path("<int:year>/invite/map/", views.invite_map, name="invite-map"),
    path("<int:year>/invite/import/", views.invite_import, name="invite-import"),
    path("<int:year>/nominate/", views.nominate, name="nominate"),
    path("<int:year>/assign/", views.assign_reviewers, name="assign"),
    path("<int:year>/ranking/", views.ranking_page, name="ranking"),
    path("<int:year>/ranking.xlsx", views.ranking_xlsx, name="ranking-xlsx"),
    path("<int:year>/funnel.xlsx", views.funnel_xlsx, name="funnel-xlsx"),
    path("<int:year>/publish/", views.publish, name="publish"),
    path("<int:year>/selection/", views.selection, name="selection"),
    path("participation/<int:pk>/", views.participation_detail, name="participation"),
    path("participation/<int:pk>/mou.pdf", views.mou_document, name="mou-document"),
    path("participation/<int:pk>/sessions/new/", views.session_create, name="session-create"),
    path("session/<int:pk>/", views.session_detail, name="session"),
    path("worksheet/<int:pk>/", views.worksheet_file, name="worksheet"),
]
