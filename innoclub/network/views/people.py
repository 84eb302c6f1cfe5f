"""The members' directory, profiles and the own profile."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from innoclub.accounts.models import User
from innoclub.api import exports
from innoclub.audit.models import Action
from innoclub.audit.services import audit_record
from innoclub.core import sections
from innoclub.core.access import Rule, access
from innoclub.core.images import image_response
from innoclub.network import selectors, services
from innoclub.network.forms import ProfileForm
from innoclub.network.selectors import DirectoryFilters


@access(Rule.MEMBERS)
@require_safe
def directory(request: HttpRequest) -> HttpResponse:
    """The directory with its filters. The results and the filter form are
    rendered once per viewer and address, then read from the cache until a
    person, profile, municipality or topic changes (core/sections.py)."""
    filters = DirectoryFilters.from_query(request.GET.dict())
    # The pagination's and the export's links repeat the whole address.
    address = sections.digest(request.GET.urlencode())
    results_html, filters_html = sections.cached(
        "people",
        ("directory", sections.audience(request.user), address),
        lambda: (_directory_results(request, filters), _directory_filters(request, filters)),
    )
    # htmx asks for the results only; the URL in the address bar keeps the filters.
    if request.htmx:  # type: ignore[attr-defined]
        response = HttpResponse(results_html)
    else:
        context = {"results_html": results_html, "filters_html": filters_html}
        response = render(request, "network/directory.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _directory_filters(request: HttpRequest, filters: DirectoryFilters) -> str:
    context = {"filters": filters, "options": selectors.filter_options()}
    return render_to_string("network/_directory_filters.html", context, request=request)


def _directory_results(request: HttpRequest, filters: DirectoryFilters) -> str:
    page = selectors.directory_search(viewer=request.user, filters=filters)
    context = {"page": page, "filters": filters}
    return render_to_string("network/_directory_results.html", context, request=request)


@access(Rule.STAFF)
@require_safe
def directory_export(request: HttpRequest) -> HttpResponse:
    """The filtered directory as CSV for the office (semicolons and a BOM for German Excel)."""
    filters = DirectoryFilters.from_query(request.GET.dict())
    people = selectors.directory_export(viewer=request.user, filters=filters)
    audit_record(
        action=Action.EXPORT,
        request=request,
        object_label=_("Members' directory"),
        details={"file": "mitglieder.csv", "filters": request.GET.urlencode()[:500]},
    )
    return exports.csv_response("mitglieder.csv", exports.member_table(people))


@access(Rule.MEMBERS)
@require_safe
def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    view = selectors.profile_for_viewer(viewer=request.user, pk=pk)
    return render(
        request, "network/profile_detail.html", {"view": view, "person": view.profile.user}
    )


@access(Rule.MEMBERS)
@require_safe
def profile_photo(request: HttpRequest, pk: int) -> FileResponse:
    """A profile photo, only for those who may see it (never a public file URL)."""
    view = selectors.profile_for_viewer(viewer=request.user, pk=pk)
    photo = view.profile.photo
    if not photo or not view.shows("photo"):
        raise Http404
    return image_response(photo, public=False)


@access(Rule.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    profile = services.profile_for(user=user)
    form = ProfileForm(
        request.POST or None,
        request.FILES or None,
        instance=profile,
        partner=user.is_guest,
        initial={"topics": list(profile.topics.all())},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        topics = list(data.pop("topics"))
        photo = data.pop("photo_upload", None)
        remove_photo = bool(data.pop("remove_photo", False))
        services.profile_update(
            profile=profile, fields=data, topics=topics, photo=photo, remove_photo=remove_photo
        )
        messages.success(request, _("Your profile has been saved."))
        return redirect("network:profile_edit")
    status = 400 if form.is_bound else 200
    return render(
        request, "network/profile_edit.html", {"form": form, "profile": profile}, status=status
    )
