from django.urls import path

from . import identity_views, views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/verify/", views.signup_verify, name="signup_verify"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("", views.account, name="account"),
    path("tokens/<int:pk>/revoke/", views.api_token_revoke, name="api_token_revoke"),
    path("logout-everywhere/", views.logout_everywhere, name="logout_everywhere"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/verify/", views.password_reset_verify, name="password_reset_verify"),
    path("officer/login/", views.officer_login, name="officer_login"),
    path("identity/", identity_views.identity, name="identity"),
    path(
        "identity/callback/<str:provider>/",
        identity_views.identity_callback,
        name="identity_callback",
    ),
    path(
        "identity/sandbox/<str:reference>/",
        identity_views.identity_sandbox,
        name="identity_sandbox",
    ),
]
