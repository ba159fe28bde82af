from django.urls import path

from . import agents_views

app_name = "office_agents"
urlpatterns = [
    path("", agents_views.home, name="home"),
    path("companies/<int:company_id>/authorise/", agents_views.authorise, name="authorise"),
    path("authorisations/<int:pk>/revoke/", agents_views.revoke, name="revoke"),
    path("authorisations/<int:pk>/letter/", agents_views.letter, name="letter"),
]
