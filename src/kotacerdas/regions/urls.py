from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("", views.region_list, name="list"),
    path("import/", views.profile_import, name="import"),
    path("<str:code>/", views.region_detail, name="detail"),
    path("<str:code>/profile/", views.profile_value_save, name="profile-save"),
    path("<str:code>/profile/<int:pk>/delete/", views.profile_value_delete, name="profile-delete"),
]
