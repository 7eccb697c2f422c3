"""What the sign-in wizard (`/accounts/login/`) expects to be posted at each step."""

from __future__ import annotations

STEP = "login_view-current_step"


def password_step(email: str, password: str) -> dict[str, str]:
    return {STEP: "auth", "auth-username": email, "auth-password": password}


def code_step(code: str) -> dict[str, str]:
    return {STEP: "token", "token-otp_token": code}


def recovery_code_step(code: str) -> dict[str, str]:
    return {STEP: "backup", "backup-otp_token": code}
