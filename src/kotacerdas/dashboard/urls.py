from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.national, name="national"),
    path("province/<str:code>/", views.province, name="province"),
    path("region/<str:code>/", views.region, name="region"),
    path("evaluation/", views.evaluation_admin, name="evaluation"),
    path("evaluation/recompute/", views.recompute, name="recompute"),
]
