from django.urls import path

from . import views

app_name = "masterplan"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/sections/<str:key>/", views.save_section, name="section"),
    path("<int:pk>/goals/<str:pillar>/", views.save_goal, name="goal"),
    path("<int:pk>/goals/<str:pillar>/targets/", views.target, name="target"),
    path("<int:pk>/initiatives/new/", views.initiative_form, name="initiative-new"),
    path("<int:pk>/initiatives/<int:initiative_id>/", views.initiative_form, name="initiative"),
    path("<int:pk>/copy/", views.copy_initiatives, name="copy"),
    path("<int:pk>/diff/", views.version_diff, name="diff"),
    path("<int:pk>/document/<str:kind>/", views.document, name="document"),
    path("<int:pk>/<str:action>/", views.workflow, name="workflow"),
]
