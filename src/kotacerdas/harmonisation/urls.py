from django.urls import path

from . import views

app_name = "harmonisation"
urlpatterns = [
    path("", views.clusters, name="clusters"),
    path("<int:pk>/", views.cluster, name="cluster"),
    path("<int:pk>/overlaps/", views.overlaps, name="overlaps"),
]
