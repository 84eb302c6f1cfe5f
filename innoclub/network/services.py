from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from innoclub.accounts.models import User
from innoclub.network.models import Profile, Topic


def profile_for(*, user: User) -> Profile:
    """The user's profile, created empty on first use. Side effects: may insert a row."""
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


@transaction.atomic
def profile_update(
    *,
    profile: Profile,
    fields: dict[str, Any],
    topics: list[Topic] | None = None,
    photo: ContentFile[bytes] | None = None,
    remove_photo: bool = False,
) -> Profile:
    """Save what the owner entered on their profile.

    Side effects: updates the profile row and its topics; stores a new photo
    file (already re-encoded) and deletes the replaced or removed one after
    the transaction commits, so a failed save never loses the old photo.
    """
    for name, value in fields.items():
        if name not in _EDITABLE:
            raise ValueError(f"{name} is not an editable profile field")
        setattr(profile, name, value)
    old_photo = profile.photo.name if profile.photo else ""
    if photo is not None:
        profile.photo.save(photo.name or "photo.jpg", photo, save=False)
    elif remove_photo:
        profile.photo = None
    profile.save()
    if topics is not None:
        profile.topics.set(topics)
    if old_photo and (photo is not None or remove_photo):
        storage = profile.photo.storage
        transaction.on_commit(lambda: storage.delete(old_photo))
    return profile


_EDITABLE = set(Profile.EDITABLE_FIELDS)
