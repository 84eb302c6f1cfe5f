"""The office writes, previews and publishes news (/geschaeftsstelle/aktuelles/)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innoclub.core.access import Rule, access
from innoclub.news import selectors, services
from innoclub.news.forms import ArticleForm, PublishForm
from innoclub.news.models import Article, ArticleState


@access(Rule.STAFF)
@require_safe
def article_office_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "news/office/article_list.html",
        {"articles": selectors.article_office_list(), "now": timezone.now()},
    )


def _edit_page(request: HttpRequest, form: ArticleForm, article: Article | None) -> HttpResponse:
    return render(
        request,
        "news/office/article_edit.html",
        {
            "form": form,
            "article": article,
            "publish_form": PublishForm(),
            "states": ArticleState,
        },
        status=400 if form.is_bound else 200,
    )


@access(Rule.STAFF)
@require_http_methods(["GET", "POST"])
def article_create(request: HttpRequest) -> HttpResponse:
    form = ArticleForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        article = services.article_create(
            author=request.user,  # type: ignore[arg-type]
            title=form.cleaned_data["title"],
            teaser=form.cleaned_data["teaser"],
            body=form.cleaned_data["body"],
            topics=form.cleaned_data["topics"],
            image=form.image,
            image_alt=form.cleaned_data["image_alt"],
        )
        messages.success(request, _("The draft has been saved. Check the preview, then publish."))
        return redirect("news_office:edit", pk=article.pk)
    return _edit_page(request, form, None)


@access(Rule.STAFF)
@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_office_get(pk=pk)
    form = ArticleForm(
        request.POST or None,
        request.FILES or None,
        instance=article,
        initial={"topics": list(article.topics.all())},
    )
    if request.method == "POST" and form.is_valid():
        services.article_update(
            article=article,
            title=form.cleaned_data["title"],
            teaser=form.cleaned_data["teaser"],
            body=form.cleaned_data["body"],
            topics=form.cleaned_data["topics"],
            image=form.image,
            remove_image=form.cleaned_data["remove_image"],
            image_alt=form.cleaned_data["image_alt"],
        )
        messages.success(request, _("The article has been saved."))
        return redirect("news_office:edit", pk=article.pk)
    return _edit_page(request, form, article)


@access(Rule.STAFF)
@require_POST
def article_publish(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_office_get(pk=pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please enter the date as DD.MM.YYYY HH:MM."))
        return redirect("news_office:edit", pk=article.pk)
    services.article_publish(article=article, at=form.cleaned_data["publish_at"])
    if article.state is ArticleState.SCHEDULED:
        messages.success(
            request,
            _("The article is scheduled. It appears on %(date)s.")
            % {"date": timezone.localtime(article.published_at).strftime("%d.%m.%Y %H:%M")},
        )
    else:
        messages.success(request, _("The article has been published."))
    return redirect("news_office:list")


@access(Rule.STAFF)
@require_POST
def article_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_office_get(pk=pk)
    services.article_unpublish(article=article)
    messages.success(request, _("The article is a draft again and no longer public."))
    return redirect("news_office:edit", pk=article.pk)
