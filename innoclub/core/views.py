from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.template import loader
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from innoclub.accounts.services import user_set_language
from innoclub.core import sections, selectors, services
from innoclub.core.access import Rule, access
from innoclub.core.forms import FeedbackForm, LegalPageForm
from innoclub.core.models import AccessibilityFeedback, LegalPage
from innoclub.events import selectors as event_selectors
from innoclub.news import selectors as news_selectors
from innoclub.pilots import selectors as pilot_selectors


@access(Rule.PUBLIC)
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The start page: a fixed number of queries, whatever the amount of data."""
    return render(
        request,
        "core/home.html",
        {
            # Counted over every member: kept until a person or profile changes.
            "figures": sections.cached("people", ("key-figures",), selectors.key_figures),
            "latest_news": news_selectors.article_latest(limit=3),
            "publication_count": news_selectors.publication_count(),
            "next_forum": event_selectors.event_next(request.user),
            "spreading_pilots": pilot_selectors.pilots_spreading(user=request.user),
        },
    )


@access(Rule.PUBLIC)
@require_safe
def legal_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.legal_page_get(slug=slug)
    return render(request, "core/legal_page.html", {"page": page})


@access(Rule.PUBLIC)
@require_http_methods(["GET", "POST"])
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement with its feedback form (BITV 2.0 § 7)."""
    page = selectors.legal_page_get(slug=LegalPage.Slug.BARRIEREFREIHEIT)
    form = FeedbackForm(
        request.POST or None, initial={"page_url": request.GET.get("seite", "")[:500]}
    )
    if request.method == "POST" and form.is_valid():
        services.feedback_create(
            message=form.cleaned_data["message"],
            name=form.cleaned_data["name"],
            email=form.cleaned_data["email"],
            page_url=form.cleaned_data["page_url"],
        )
        return redirect("core:feedback_thanks")
    status = 400 if form.is_bound else 200
    return render(request, "core/accessibility.html", {"page": page, "form": form}, status=status)


@access(Rule.PUBLIC)
@require_safe
def feedback_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "core/feedback_thanks.html")


@access(Rule.PUBLIC)
@require_safe
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the language with a plain link, so pages need no form (and no cookie) for it.

    The choice is kept in a cookie set only on this explicit request, and on
    the account of a logged-in user.
    """
    language = request.GET.get("sprache", "")
    next_url = request.GET.get("weiter", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES) and check_for_language(language):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
        if request.user.is_authenticated:
            user_set_language(user=request.user, language=language)
    return response


@access(Rule.PUBLIC)
@never_cache
@require_safe
def livez(request: HttpRequest) -> HttpResponse:
    """The process answers; touches nothing else. A liveness probe, and the
    bare view that benchmarks/pages.py measures every page against."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@access(Rule.PUBLIC)
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Database reachability and pending migrations, for load balancers and monitoring."""
    checks: dict[str, str] = {}
    healthy = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
        pending = selectors.pending_migrations()
        checks["migrations"] = "ok" if not pending else f"{len(pending)} pending"
        healthy = not pending
    except DatabaseError:
        checks["database"] = "unreachable"
        checks["migrations"] = "unknown"
        healthy = False
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "checks": checks},
        status=200 if healthy else 503,
    )


@access(Rule.STAFF)
@require_safe
def office_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/office_home.html",
        {"legal_pages": selectors.legal_page_list(), "feedback": selectors.feedback_list()[:50]},
    )


@access(Rule.STAFF)
@require_http_methods(["GET", "POST"])
def legal_page_edit(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.legal_page_get(slug=slug)
    form = LegalPageForm(request.POST or None, instance=page)
    if request.method == "POST" and form.is_valid():
        services.legal_page_update(
            page=page,
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            user=request.user,  # type: ignore[arg-type]
        )
        messages.success(request, _("The page “%(title)s” has been saved.") % {"title": page.title})
        return redirect("core:office_home")
    status = 400 if form.is_bound else 200
    return render(request, "core/legal_page_edit.html", {"page": page, "form": form}, status=status)


@access(Rule.STAFF)
@require_http_methods(["POST"])
def feedback_handled(request: HttpRequest, pk: int) -> HttpResponse:
    feedback = AccessibilityFeedback.objects.filter(pk=pk).first()
    if feedback is not None:
        services.feedback_mark_handled(feedback=feedback)
        messages.success(request, _("The message has been marked as handled."))
    return redirect(reverse("core:office_home") + "#rueckmeldungen")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "core/csrf_failure.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: whatever failed (the database, say) must not fail again here.
    return HttpResponse(loader.render_to_string("500.html"), status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)
