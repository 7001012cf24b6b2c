"""Sign-in, sign-out and password reset: Django's own views with the site's templates."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from koda.english_paths import localized
from koda.password_reset import PasswordResetForm

urlpatterns = [
    path(
        localized("sisene/"),
        auth_views.LoginView.as_view(
            template_name="registration/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path(localized("valju/"), auth_views.LogoutView.as_view(), name="logout"),
    path(
        localized("parool/"),
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path(
        localized("parool/saadetud/"),
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        localized("parool/<uidb64>/<token>/"),
        auth_views.PasswordResetConfirmView.as_view(
            success_url=reverse_lazy("password_reset_complete")
        ),
        name="password_reset_confirm",
    ),
    path(
        localized("parool/valmis/"),
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
