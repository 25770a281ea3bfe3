from django.urls import path

from . import views

app_name = "matchmaking"
urlpatterns = [
    path("", views.proposals, name="proposals"),
    path("new/", views.new_proposal, name="new"),
    path("proposal/<int:pk>/", views.proposal, name="proposal"),
    path("proposal/<int:pk>/document/", views.upload_document, name="document"),
    path("proposal/<int:pk>/publish/", views.publish, name="publish"),
    path("proposal/<int:pk>/interest/", views.express_interest, name="interest"),
    path("proposal/<int:pk>/stage/", views.move, name="stage"),
    path("proposal/<int:pk>/meeting/", views.meeting, name="meeting"),
    path("interest/<int:pk>/decide/", views.decide, name="decide"),
    path("partner/", views.partner_home, name="partner"),
    path("partners/", views.partners, name="partners"),
    path("partners/<int:pk>/verify/", views.verify_partner, name="verify"),
    path("pipeline/", views.pipeline, name="pipeline"),
    path("events/", views.events, name="events"),
]
