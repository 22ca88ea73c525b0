"""The dues pages: the branch's dues (members, bases, payments, import), a member's history,
the committee's report and statement for the office, and the member's own panel on his
profile. Access is decided in ``dues.access``; writes go through ``dues.services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dues.access import (
    can_read_dues_of,
    can_see_personal_dues,
    editable_dues_branch,
    editable_member,
    editable_payment,
    office_committee,
    office_committees,
    own_person,
    readable_dues_branch,
)
from dues.exporters import DuesBaseExporter, DuesStatementExporter
from dues.forms import BaseForm, PaymentForm, UploadForm
from dues.imports import check_rows, from_session, spec, to_session
from dues.models import MonthlyBase, Payment
from dues.reports import (
    bases_to_review,
    committee_year,
    ledger,
    member_year_rows,
    totals_of,
)
from dues.services import (
    PaymentInput,
    cancel_payment,
    import_bases,
    record_payment,
    set_base,
)
from portal.errors import Refused
from portal.xlsx import XLSX_CONTENT_TYPE
from portal.xlsx_http import content_disposition, xlsx_response
from portal.xlsx_import import ROW_KEY, read_xlsx, template_workbook

MEMBERS_PER_PAGE = 50
PAYMENTS_PER_PAGE = 50
SESSION_KEY = "dues-import-%s"


def _year(request) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year", this_year))
    except ValueError:
        return this_year
    return year if 2000 <= year <= this_year + 1 else this_year


@login_required
def branch_dues(request, pk: int):
    branch, full = readable_dues_branch(request.user, pk)
    year = _year(request)
    if request.GET.get("format") == "xlsx":
        if not full:
            raise Http404
        bases = (
            MonthlyBase.objects.filter(person__branch=branch)
            .select_related("person")
            .order_by("person__name", "effective_from")
        )
        return xlsx_response(
            DuesBaseExporter(bases, unit_name=branch.name),
            audit_object=branch,
        )
    rows = member_year_rows(branch, year)
    search = request.GET.get("q", "").strip()[:60]
    shown = [r for r in rows if search in r.person.name] if search else rows
    context = {
        "branch": branch,
        "year": year,
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        "page": Paginator(shown, MEMBERS_PER_PAGE).get_page(request.GET.get("page")),
        "search": search,
        "totals": totals_of(rows, year),
        "full": full,
        "can_edit": full,
    }
    if full:
        context["to_review"] = bases_to_review(branch)
    return render(request, "dues/branch.html", context)


@login_required
def payment_add(request, pk: int):
    branch = editable_dues_branch(request.user, pk)
    initial = {}
    if request.GET.get("person", "").isdigit():
        initial["person"] = int(request.GET["person"])
    form = PaymentForm(request.POST or None, branch=branch, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record_payment(
                data["person"],
                PaymentInput(
                    first_month=data["first_month"],
                    months=data["months"],
                    amount=data["amount"],
                    extra=data["extra"],
                    paid_on=data["paid_on"],
                    method=data["method"],
                    note=data["note"],
                ),
                user=request.user,
            )
        except Refused as exc:
            form.add_error(None, " ".join(exc.messages))
        else:
            messages.success(request, _("The payment was recorded."))
            return redirect("dues:branch_dues", branch.pk)
    return render(request, "dues/payment_form.html", {"branch": branch, "form": form})


@login_required
def member_dues(request, pk: int):
    person = editable_member(request.user, pk)
    year = _year(request)
    payments = Payment.objects.filter(person=person).select_related("recorded_by")
    return render(
        request,
        "dues/member.html",
        {
            "person": person,
            "branch": person.branch,
            "year": year,
            "row": ledger([person], year)[0],
            "bases": MonthlyBase.objects.filter(person=person),
            "page": Paginator(payments, PAYMENTS_PER_PAGE).get_page(request.GET.get("page")),
            "form": BaseForm(),
        },
    )


@require_POST
@login_required
def payment_cancel(request, pk: int):
    """Take back a payment recorded by mistake (with the reason, kept in the audit log)."""
    payment = editable_payment(request.user, pk)
    try:
        cancel_payment(payment, request.POST.get("reason", "")[:200], user=request.user)
    except Refused as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The payment is cancelled; its months are owed again."))
    return redirect("dues:member_dues", payment.person_id)


@require_POST
@login_required
def base_set(request, pk: int):
    person = editable_member(request.user, pk)
    form = BaseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            set_base(
                person,
                month=data["month"],
                category=data["category"],
                amount=data["amount"],
                note=data["note"],
                user=request.user,
            )
        except Refused as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Saved."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("dues:member_dues", person.pk)


@login_required
def bases_template(request, pk: int):
    branch = editable_dues_branch(request.user, pk)
    response = HttpResponse(
        template_workbook(spec(), unit_name=branch.name), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition(f"{DuesBaseExporter.title}.xlsx")
    return response


@login_required
def bases_import(request, pk: int):
    branch = editable_dues_branch(request.user, pk)
    context = {"branch": branch, "form": UploadForm(), "spec": spec()}
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            result = read_xlsx(spec(), form.cleaned_data["file"])
            rows, errors = (
                ([], list(result.errors)) if result.errors else check_rows(branch, result.rows)
            )
            context["errors"] = errors
            if not errors and not rows:
                context["errors_text"] = _("The file has no filled rows.")
            elif not errors:
                request.session[SESSION_KEY % branch.pk] = to_session(rows)
                numbers = [r[ROW_KEY] for r in result.rows]
                context["preview"] = list(zip(numbers, rows, strict=True))
    return render(request, "dues/import.html", context)


@require_POST
@login_required
def bases_import_confirm(request, pk: int):
    branch = editable_dues_branch(request.user, pk)
    staged = request.session.pop(SESSION_KEY % branch.pk, None)
    rows = from_session(branch, staged or [])
    if not rows or len(rows) != len(staged or []):
        messages.error(request, _("Nothing to import: upload the file again."))
        return redirect("dues:bases_import", branch.pk)
    try:
        count = import_bases(branch, rows, user=request.user)
    except Refused as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("dues:bases_import", branch.pk)
    messages.success(request, _("%(count)s bases imported.") % {"count": count})
    return redirect("dues:branch_dues", branch.pk)


@login_required
def office_dues(request):
    committee = office_committees(request.user).first()
    if committee is None:
        raise Http404
    return redirect("dues:committee_report", committee.pk)


@login_required
def committee_report(request, pk: int):
    committee = office_committee(request.user, pk)
    year = _year(request)
    branches, total = committee_year(committee, year)
    return render(
        request,
        "dues/committee.html",
        {
            "committee": committee,
            "year": year,
            "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
            "page": Paginator(branches, MEMBERS_PER_PAGE).get_page(request.GET.get("page")),
            "total": total,
        },
    )


@login_required
def committee_statement(request, pk: int):
    committee = office_committee(request.user, pk)
    year = _year(request)
    branches, total = committee_year(committee, year)
    exporter = DuesStatementExporter(
        branches, total, unit_name=committee.name, fields={"year": year}
    )
    return xlsx_response(exporter, audit_object=committee, audit_data={"year": year})


def profile_panel(request, person):
    """The member's own dues on his profile (his own only: the profile shows no one else)."""
    if person is None or person != own_person(request.user):
        return None
    if not MonthlyBase.objects.filter(person=person).exists() and not person.dues_payments.exists():
        return None
    year = timezone.localdate().year
    return (
        "dues/_profile_panel.html",
        {
            "year": year,
            "row": ledger([person], year)[0],
            "payments": Payment.objects.filter(person=person)[:24],
        },
    )


def branch_panel(request, organisation):
    """A link on the branch page to its dues, for those who read them (no figures and no
    query here: the page has already found the branch in the user's scope)."""
    if not can_read_dues_of(request.user, organisation):
        return None
    full = can_see_personal_dues(request.user, organisation)
    return "dues/_branch_panel.html", {"branch": organisation, "can_edit": full}
