"""Erasure of an account (GDPR Art. 17): personal data goes, contributions stay.

The user row stays so that ideas, comments, supports, adoptions and the like
keep an author; ``User.erased_at`` marks it and ``User.get_full_name`` then
answers "ehemaliges Mitglied". Everything that describes the person or lets
them act is removed or emptied in one transaction.
"""

from __future__ import annotations

import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from innoclub.accounts.models import Role, User
from innoclub.audit.models import Action
from innoclub.audit.services import audit_record
from innoclub.core.emails import email_send
from innoclub.network.models import Profile

# Session stores whose rows can be found and deleted; any other backend is
# covered by the password change, which invalidates every session's auth hash.
_ENUMERABLE_SESSION_ENGINES = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)


class ErasureError(Exception):
    """An erasure that must not happen (the last office account, erasing oneself as staff)."""


def erased_email(user: User) -> str:
    """The placeholder address of an erased account: unique, lower-case, undeliverable."""
    return f"geloescht-{user.pk}@invalid"


def account_erase_refusal(*, user: User, by: User) -> str | None:
    """Why ``by`` may not erase ``user`` (a German sentence), or None.

    Nobody erases an account twice; the office keeps at least one active
    staff account, and a staff member erases their own account only when
    another staff account remains.
    """
    if user.erased_at is not None:
        return _("This account has already been deleted.")
    if user.is_staff and not (
        User.objects.filter(role=Role.STAFF, is_active=True, erased_at__isnull=True)
        .exclude(pk=user.pk)
        .exists()
    ):
        return _("The last account of the club office cannot be deleted.")
    if by.pk != user.pk and not by.is_staff:
        return _("Only the club office can delete another person's account.")
    return None


def account_erase(*, user: User, by: User, request: HttpRequest | None = None) -> None:
    """Erase ``user``'s personal data; their contributions stay, anonymised.

    Raises ``ErasureError`` when ``account_erase_refusal`` names a reason.
    One transaction; the user row is locked first, so two simultaneous
    erasures erase once. Side effects:

    - the user row: names emptied, e-mail ``geloescht-<id>@invalid``,
      unusable password, inactive, no municipality, language reset, no
      admin rights, ``erased_at`` set;
    - the profile emptied (its photo file deleted after commit); only the
      membership's dates stay, ended today, for the growth statistics;
    - deleted: data exports
      (their files after commit), authenticator devices, API tokens, the
      calendar feed, agenda entries, invitations to
      events, idea follows, notifications and notification settings,
      membership of idea groups and of pilots' contact people, adoption
      contacts, failed-login records for the address, every session row;
    - registrations for events that have not ended are cancelled through
      ``events.services.registration_cancel`` (freed seats promote the
      waitlist, who are e-mailed) and their workshop wishes deleted;
      past registrations stay as anonymous attendance; every registration
      loses its dietary and accessibility needs and the list consent;
    - a linked speaker stays in the forums' programmes as "ehemaliges
      Mitglied", without account, position, biography and photo;
    - the nomination that brought the person in is emptied of their name,
      address and the reasons, its invitations of the address;
    - one audit entry (``ACCOUNT_ERASED``, without name or address);
    - after commit: a confirmation e-mail to the old address.
    """
    refusal = account_erase_refusal(user=user, by=by)
    if refusal is not None:
        raise ErasureError(refusal)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if by.pk == user.pk:
            # The audit entry names the actor by address: the scrubbed one.
            by = user
        refusal = account_erase_refusal(user=user, by=by)
        if refusal is not None:
            raise ErasureError(refusal)
        old_email = user.email
        language = user.language
        now = timezone.now()
        files = _erase_related(user, old_email=old_email, now=now)
        user.first_name = ""
        user.last_name = ""
        user.email = erased_email(user)
        user.set_unusable_password()
        user.is_active = False
        user.is_superuser = False
        user.municipality = None
        user.language = "de"
        user.erased_at = now
        # A plain save: the search index follows the user's contributions
        # (ideas and pilots no longer name the person).
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        _delete_sessions(user)
        # After the address is scrubbed, so that a self-erasure's actor label
        # is the placeholder too.
        audit_record(
            action=Action.ACCOUNT_ERASED,
            actor=by,
            obj=user,
            request=request,
            object_label=f"Konto {user.pk}",
        )
        email_send(
            to=[old_email],
            subject=_("Your innoclub account has been deleted"),
            template="accounts/email/account_erased",
            context={"by_office": by.pk != user.pk},
            language=language,
        )
        transaction.on_commit(lambda: _delete_files(files))


def _erase_related(user: User, *, old_email: str, now: datetime.datetime) -> list[FieldFile | str]:
    """Delete or empty everything that belongs to ``user``; returns files to
    delete once the transaction has committed."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from innoclub.accounts.models import DataExport
    from innoclub.api.models import ApiToken
    from innoclub.events.models import (
        AgendaItem,
        CalendarFeed,
        EventInvitation,
        Registration,
        RegistrationStatus,
        Speaker,
    )
    from innoclub.events.services import registration_cancel
    from innoclub.ideas.models import Follow, IdeaGroup, Notification, NotificationSetting
    from innoclub.network.models import Invitation, Nomination
    from innoclub.pilots.models import Adoption, PilotProject
    from innoclub.workshops.models import WorkshopChoice

    files: list[FieldFile | str] = []
    # Copies of the person's data (Art. 15) go with it; their files after commit.
    for export in DataExport.objects.filter(user=user):
        if export.file_name:
            files.append(export.file_name)
        export.delete()
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        if profile.photo:
            files.append(profile.photo)
        _empty_profile(profile, today=timezone.localdate(now))
    TOTPDevice.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()
    AgendaItem.objects.filter(user=user).delete()
    EventInvitation.objects.filter(user=user).delete()
    Follow.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    NotificationSetting.objects.filter(user=user).delete()
    for group in IdeaGroup.objects.filter(members=user):
        group.members.remove(user)
    for pilot in PilotProject.objects.filter(contacts=user):
        pilot.contacts.remove(user)
    Adoption.objects.filter(contact=user).update(contact=None)

    today = timezone.localdate(now)
    upcoming = Registration.objects.filter(user=user, event__ends_on__gte=today)
    WorkshopChoice.objects.filter(registration__in=upcoming).delete()
    for registration in upcoming.exclude(status=RegistrationStatus.CANCELLED).select_related(
        "event"
    ):
        registration_cancel(registration=registration, now=now)
    Registration.objects.filter(user=user).update(
        dietary_needs="", accessibility_needs="", list_consent=False
    )

    # The forum's programme keeps the appearance, as it keeps other contributions.
    for speaker in Speaker.objects.filter(user=user):
        if speaker.photo:
            files.append(speaker.photo)
        with translation.override(settings.LANGUAGE_CODE):
            speaker.name = _("former member")
        speaker.slug = f"ehemalig-{speaker.pk}"
        speaker.user = None
        speaker.position = ""
        speaker.organisation = ""
        speaker.bio = ""
        speaker.photo = ""
        speaker.consent_given_at = None
        speaker.save()

    nominations = Nomination.objects.filter(joined_user=user)
    Invitation.objects.filter(nomination__in=nominations).update(email=erased_email(user))
    for nomination in nominations:
        nomination.first_name = ""
        nomination.last_name = ""
        nomination.email = erased_email(user)
        nomination.position = ""
        nomination.organisation = ""
        nomination.reason = ""
        nomination.decision_reason = ""
        nomination.save()

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=old_email).delete()
    return files


def _empty_profile(profile: Profile, *, today: datetime.date) -> None:
    """Everything of the profile goes but the membership's dates: the growth
    statistics count past years from them, so an erasure must not rewrite the
    club's history. The person left the club (at the latest) today."""
    for name in (*Profile.ABOUT_FIELDS, *Profile.SHARED_FIELDS, "photo"):
        setattr(profile, name, "")
    for name in Profile.VISIBILITY_FIELDS:  # out of the directory and public pages
        setattr(profile, name, False)
    if profile.member_since is not None and profile.left_on is None:
        profile.left_on = max(today, profile.member_since)
    profile.save()
    profile.topics.clear()


def _delete_sessions(user: User) -> None:
    """Delete the user's sessions where the store can list them. Every other
    session dies anyway: its auth hash no longer matches the new password."""
    if settings.SESSION_ENGINE not in _ENUMERABLE_SESSION_ENGINES:
        return
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            store(session_key=session.session_key).delete()


def _delete_files(files: list[FieldFile | str]) -> None:
    for file in files:
        if isinstance(file, str):
            default_storage.delete(file)
        else:
            file.delete(save=False)
