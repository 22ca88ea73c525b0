"""The committee's opinion (党委意见) on a branch's brand plan, written by the office at review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from surveys.access import get_brand_plan_for_opinion
from surveys.forms import CommitteeOpinionForm
from surveys.services import record_committee_opinion
from surveys.views.sheets import detail_url


@require_POST
@login_required
def brand_plan_opinion(request, pk: int):
    plan = get_brand_plan_for_opinion(request.user, pk)
    form = CommitteeOpinionForm(request.POST, instance=plan)
    if form.is_valid():
        record_committee_opinion(plan, form.cleaned_data["committee_opinion"], user=request.user)
        messages.success(request, _("The committee opinion is saved; the branch sees it."))
    else:
        for error in form.errors.get("committee_opinion", []):
            messages.error(
                request, _("The committee opinion was not saved: %(error)s") % {"error": error}
            )
    return redirect(detail_url(plan.assignment))
