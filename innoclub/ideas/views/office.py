"""The club office's work with ideas: moving them through the stages,
moderating comments, asking evaluators, the pipeline board with the funnel,
and the overview of evaluations.

Everything here is for the office only (``Rule.STAFF``); everybody else gets
404 and anonymous visitors the login. The staff panel on the idea's page is
rendered by the detail view with ``panel_context``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from innoclub.accounts.models import User
from innoclub.audit.models import Action
from innoclub.audit.services import audit_record
from innoclub.core.access import Rule, access
from innoclub.core.forms import add_refusal
from innoclub.ideas import engagement, evaluation, selectors, services
from innoclub.ideas import pipeline as pipeline_module
from innoclub.ideas.charts import funnel_chart, share
from innoclub.ideas.forms_office import AssignForm, HideForm, MoveForm
from innoclub.ideas.models import PIPELINE, Comment, Criterion, EvaluationAssignment, Idea, Stage
from innoclub.ideas.stages import next_stages
from innoclub.ideas.views.detail import comment_url, idea_url
from innoclub.network.charts import Chart

EVALUATION_PAGE_SIZE = 50


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _idea(request: HttpRequest, pk: int) -> Idea:
    return selectors.idea_for_viewer(user=request.user, pk=pk)


# --- The staff panel on the idea's page ------------------------------------------


@dataclass
class OfficePanel:
    idea: Idea
    move_form: MoveForm
    assignments: list[EvaluationAssignment]
    scores: selectors.IdeaScore
    assign_form: AssignForm
    missing_for_pilot: list[str]


def _missing_for_pilot(idea: Idea) -> list[str]:
    """The concept fields the step to Pilot still needs, to say so before it is refused."""
    if Stage.PILOT not in next_stages(idea.stage):
        return []
    return [
        str(services.CONCEPT_LABELS[name])
        for name in services.PILOT_NEEDS
        if not getattr(idea, name).strip()
    ]


def _panel(idea: Idea) -> OfficePanel:
    assignments = list(idea.evaluations.select_related("evaluator").order_by("assigned_at", "id"))
    return OfficePanel(
        idea=idea,
        move_form=MoveForm(idea=idea, auto_id="id_phase_%s"),
        assignments=assignments,
        scores=selectors.idea_scores(idea=idea, assignments=assignments),
        assign_form=AssignForm(idea=idea, auto_id="id_gutachten_%s"),
        missing_for_pilot=_missing_for_pilot(idea),
    )


def panel_context(request: HttpRequest, idea: Idea) -> dict[str, Any]:
    """The context of ``ideas/_office_panel.html`` for staff on the idea's page.

    Five queries: assignments with their evaluators, the scores (three), and the
    people who may be asked; the pilot projects when Pilot is the next stage.
    """
    return {"office_panel": _panel(idea)}


# --- Moving an idea ------------------------------------------------------------------


def _back_to(request: HttpRequest, idea: Idea) -> HttpResponse:
    if request.POST.get("weiter") == "pipeline":
        return redirect("ideas_office:pipeline")
    return redirect(idea_url(idea, "verlauf"))


@access(Rule.STAFF)
@require_http_methods(["GET", "POST"])
def idea_move(request: HttpRequest, pk: int) -> HttpResponse:
    """The move form on its own page: without JavaScript, from the board, after errors."""
    idea = _idea(request, pk)
    chosen = request.GET.get("nach", "")
    form = MoveForm(
        request.POST or None,
        idea=idea,
        initial={"to_stage": chosen if chosen in Stage.values else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                change = services.idea_move_to_stage(
                    idea=idea,
                    to_stage=form.cleaned_data["to_stage"],
                    rationale=form.cleaned_data["rationale"],
                    by=_user(request),
                    **form.pilot_arguments(),
                )
                audit_record(
                    action=Action.STAGE_CHANGED,
                    request=request,
                    obj=idea,
                    details={"from": change.from_stage, "to": change.to_stage},
                )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            text = _("“%(idea)s” is now in the stage “%(stage)s”. The authors have been told.")
            messages.success(
                request, text % {"idea": idea.title, "stage": idea.get_stage_display()}
            )
            return _back_to(request, idea)
    weiter = request.POST.get("weiter") or request.GET.get("weiter", "")
    return render(
        request,
        "ideas/office/move.html",
        {
            "idea": idea,
            "form": form,
            "weiter": "pipeline" if weiter == "pipeline" else "",
            "missing_for_pilot": _missing_for_pilot(idea),
        },
        status=400 if form.is_bound else 200,
    )


# --- Moderating comments ---------------------------------------------------------------


def _comment(pk: int, comment_id: int) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("idea", "author", "hidden_by"), pk=comment_id, idea_id=pk
    )


@access(Rule.STAFF)
@require_http_methods(["GET", "POST"])
def comment_hide(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    """Hide a comment with a reason its author is told; the text is kept for restoring."""
    comment = _comment(pk, comment_id)
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            engagement.comment_hide(
                comment=comment, by=_user(request), reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(
                request, _("The comment is hidden. Its author has been told the reason.")
            )
            return redirect(comment_url(comment))
    return render(
        request,
        "ideas/office/comment_hide.html",
        {"comment": comment, "idea": comment.idea, "form": form},
        status=400 if form.is_bound else 200,
    )


@access(Rule.STAFF)
@require_POST
def comment_restore(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    comment = _comment(pk, comment_id)
    engagement.comment_restore(comment=comment)
    messages.success(request, _("The comment is visible again."))
    return redirect(comment_url(comment))


# --- Evaluators --------------------------------------------------------------------------


@access(Rule.STAFF)
@require_POST
def evaluator_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask a person to evaluate the idea, or (``remove=<assignment id>``) withdraw the request."""
    idea = _idea(request, pk)
    back = redirect(idea_url(idea, "gutachtende"))
    remove = request.POST.get("remove", "")
    if remove:
        assignment = get_object_or_404(
            EvaluationAssignment.objects.select_related("evaluator"),
            pk=remove if remove.isdigit() else 0,
            idea=idea,
        )
        evaluation.evaluator_unassign(assignment=assignment)
        messages.success(
            request,
            _("%(name)s is no longer asked to evaluate this idea.")
            % {"name": assignment.evaluator},
        )
        return back
    form = AssignForm(request.POST, idea=idea)
    if not form.is_valid():
        messages.error(request, " ".join(str(text) for text in form.errors.get("evaluator", [])))
        return back
    evaluator = form.cleaned_data["evaluator"]
    try:
        evaluation.evaluator_assign(idea=idea, evaluator=evaluator, by=_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(name)s has been asked to evaluate this idea and has been notified.")
            % {"name": evaluator},
        )
    return back


# --- The pipeline board and the funnel --------------------------------------------------


@dataclass(frozen=True)
class Funnel:
    year: int | None
    years: list[int]
    rows: list[pipeline_module.FunnelYear]
    total: tuple[int, ...]
    stages: list[str]
    chart: Chart | None
    message: str

    @property
    def shares(self) -> list[int]:
        return [share(count, self.total[0]) for count in self.total]

    @property
    def year_options(self) -> list[tuple[str, str]]:
        return [(str(year), str(year)) for year in reversed(self.years)]

    @property
    def current_year(self) -> str:
        return str(self.year) if self.year else ""


def _funnel_message(year: int | None, total: tuple[int, ...]) -> str:
    values = {
        "ideas": total[0],
        "concept": total[1],
        "pilot": total[2],
        "transfer": total[3],
        "year": year,
    }
    if year is None:
        return (
            _(
                "Of %(ideas)s ideas, %(concept)s reached the concept stage, %(pilot)s the pilot "
                "and %(transfer)s the transfer."
            )
            % values
        )
    return (
        _(
            "Of %(ideas)s ideas from %(year)s, %(concept)s reached the concept stage, "
            "%(pilot)s the pilot and %(transfer)s the transfer."
        )
        % values
    )


def _funnel(request: HttpRequest) -> Funnel:
    rows = pipeline_module.funnel_years(user=request.user)
    years = [row.year for row in rows]
    chosen = request.GET.get("jahr", "")
    year = int(chosen) if chosen.isdigit() and int(chosen) in years else None
    shown = [row for row in rows if year is None or row.year == year]
    total = pipeline_module.funnel_total(shown)
    stages = [str(Stage(stage).label) for stage in PIPELINE]
    return Funnel(
        year=year,
        years=years,
        rows=shown,
        total=total,
        stages=stages,
        chart=funnel_chart(list(zip(stages, total, strict=True))) if total[0] else None,
        message=_funnel_message(year, total),
    )


@access(Rule.STAFF)
@require_safe
def pipeline(request: HttpRequest) -> HttpResponse:
    columns = pipeline_module.pipeline_columns(user=request.user)
    return render(
        request,
        "ideas/office/pipeline.html",
        {
            "main_columns": [column for column in columns if not column.is_aside],
            "aside_columns": [column for column in columns if column.is_aside],
            "funnel": _funnel(request),
            "card_limit": pipeline_module.CARD_LIMIT,
        },
    )


# --- Evaluations -------------------------------------------------------------------------


@access(Rule.STAFF)
@require_safe
def evaluation_overview(request: HttpRequest) -> HttpResponse:
    """Ideas with their evaluation figures; filter by stage and "not yet evaluated"."""
    stage = request.GET.get("phase", "")
    stage = stage if stage in Stage.values else ""
    open_only = request.GET.get("offen") == "1"
    sort = request.GET.get("sortierung", "")
    sort = sort if sort in pipeline_module.SORTS else "bewertung"
    criteria = list(Criterion.objects.filter(is_active=True))
    rows = pipeline_module.evaluation_rows(
        user=request.user, criteria=criteria, stage=stage, open_only=open_only, sort=sort
    )
    page = Paginator(rows, EVALUATION_PAGE_SIZE).get_page(request.GET.get("seite"))
    return render(
        request,
        "ideas/office/evaluations.html",
        {
            "criteria": criteria,
            "page": page,
            "count": len(rows),
            "stage": stage,
            "open_only": open_only,
            "sort": sort,
            "stages": Stage.choices,
            "sorts": [("bewertung", _("Highest score first")), ("neueste", _("Newest first"))],
        },
    )
