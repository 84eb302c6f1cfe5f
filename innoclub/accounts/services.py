from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django_otp.plugins.otp_totp.models import TOTPDevice

from innoclub.accounts.models import Role, User, normalize_email
from innoclub.network.models import Municipality


def user_create(
    *,
    email: str,
    password: str | None,
    first_name: str = "",
    last_name: str = "",
    role: str = Role.MEMBER,
    municipality: Municipality | None = None,
) -> User:
    """Create an account. Side effects: one user row (password hashed with Argon2)."""
    return User.objects.create_user(
        email=normalize_email(email),
        password=password,
        first_name=first_name,
        last_name=last_name,
        role=role,
        municipality=municipality,
    )


def user_set_language(*, user: User | AbstractBaseUser, language: str) -> None:
    """Side effects: saves the user's preferred language."""
    if isinstance(user, User) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])


# --- Two-factor authentication ------------------------------------------


def totp_device_for(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """Begin enrolling an authenticator app.

    Side effects: replaces any unconfirmed device of the user by a fresh one
    with a new secret; confirmed devices stay until the new one is confirmed.
    """
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator-App", confirmed=False)


def totp_pending_device(*, user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def totp_enrolment_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm an authenticator app with a code it shows.

    Side effects: on success the device is confirmed and every other device
    of the user is removed; on failure the device's throttling counter rises.
    """
    if not device.verify_is_allowed()[0] or not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    return True


def totp_disable(*, user: User) -> None:
    """Side effects: deletes all of the user's TOTP devices."""
    TOTPDevice.objects.filter(user=user).delete()
