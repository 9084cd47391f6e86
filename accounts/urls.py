from __future__ import annotations

from django.urls import path

from accounts import invitation_views, profile_views, views

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("second-factor/", views.otp_verify, name="otp-verify"),
    path("second-factor/set-up/", views.otp_enrol, name="otp-enrol"),
    path("account/backup-codes/", views.backup_codes, name="backup-codes"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path(
        "account/password/done/",
        views.auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password-change-done",
    ),
    path("password-reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password-reset-done"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password-reset-confirm"),
    path("password-reset/complete/", views.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    *profile_views.urlpatterns,
    *invitation_views.urlpatterns,
]
