"""The evaluators' scoring page at /ideen/<id>/bewertung/.

Only the person the office asked may open it; everybody else (the office
included) gets 404, so nobody learns who evaluates what.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from innoclub.core.access import Rule, access
from innoclub.core.forms import add_refusal
from innoclub.ideas import evaluation, services
from innoclub.ideas.forms_office import EvaluationForm
from innoclub.ideas.models import Criterion, EvaluationAssignment


@access(Rule.AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = (
        EvaluationAssignment.objects.select_related("idea")
        .filter(idea_id=pk, evaluator_id=request.user.pk, evaluator__is_active=True)
        .first()
    )
    if assignment is None:
        raise Http404
    idea = assignment.idea
    criteria = list(Criterion.objects.filter(is_active=True))
    initial: dict[str, str] = {"note": assignment.note}
    if request.method == "GET":
        for criterion_id, value in assignment.scores.values_list("criterion_id", "value"):
            initial[f"criterion_{criterion_id}"] = str(value)
    form = EvaluationForm(request.POST or None, criteria=criteria, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation.evaluation_submit(
                assignment=assignment, scores=form.scores(), note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_refusal(form, error)
        else:
            messages.success(
                request,
                _("Thank you! Your evaluation is stored. You can change it here at any time."),
            )
            return redirect("ideas:evaluate", pk=idea.pk)
    return render(
        request,
        "ideas/evaluate.html",
        {
            "idea": idea,
            "assignment": assignment,
            "form": form,
            "concept": [
                (services.CONCEPT_LABELS[name], getattr(idea, name))
                for name in services.CONCEPT_FIELDS
            ],
        },
        status=400 if form.is_bound else 200,
    )
