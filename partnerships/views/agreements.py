"""Views: information-sharing agreements. Thin: fetch through the access helper, bind a form,
call one service, redirect or render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from core.audit import audit_list_search
from core.concurrency import posted_version
from core.csv_export import csv_writer
from core.forms import form_add_service_errors
from partnerships.forms.agreements import (
    ActivateForm,
    AgreementForm,
    AgreementPartyForm,
    DocumentForm,
    RegisterFilterForm,
    TerminateForm,
)
from partnerships.models import Agreement, AgreementStatus
from partnerships.models.agreements import IN_FORCE_STATUSES
from partnerships.selectors import agreements as selectors
from partnerships.services import agreements as services

FILTER_KEYS = ("status", "party", "review_within_days")


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _posted(request: HttpRequest) -> tuple[Any, Any]:
    """The submitted data (even when empty, so that an empty POST is validated), or None on GET."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _register_form(request: HttpRequest) -> RegisterFilterForm:
    organisations = selectors.agreement_party_organisations_visible_to(user=_user(request))
    bound = any(request.GET.get(key) for key in FILTER_KEYS)
    return RegisterFilterForm(request.GET if bound else None, organisations=organisations)


def _filtered(request: HttpRequest, form: RegisterFilterForm) -> Any:
    return selectors.agreement_list_visible_to(user=_user(request), **form.filters())


@require_http_methods(["GET"])
def agreement_list(request: HttpRequest) -> HttpResponse:
    form = _register_form(request)
    agreements = _filtered(request, form)
    audit_list_search(actor=_user(request), page="agreement-list", parameters=request.GET)
    context = {
        "form": form,
        "agreements": agreements,
        "can_edit": selectors.can_edit_agreements(_user(request)),
        "export_query": request.GET.urlencode() if form.is_bound and form.is_valid() else "",
    }
    return render(request, "partnerships/agreement_list.html", context)


EXPORT_HEADINGS = [
    "Reference",
    "Version",
    "Title",
    "Status",
    "Parties",
    "Controller roles",
    "Lawful bases",
    "Legal powers",
    "Purpose",
    "Data categories",
    "Data items",
    "Special category and criminal offence data conditions",
    "DPA 2018 Part 3 conditions",
    "DPIA reference",
    "Retention and deletion",
    "Security measures",
    "Individuals' rights",
    "Subject access request contact",
    "Sharing dates or frequency",
    "Start date",
    "Review date",
    "Expiry date",
    "Signed by",
    "Activated",
    "Ended",
    "End reason",
]


def _export_row(agreement: Agreement) -> list[Any]:
    parties = list(agreement.parties.all())

    def each(render_party: Any) -> str:
        return "; ".join(f"{p.organisation.name}: {render_party(p)}" for p in parties)

    return [
        agreement.reference,
        agreement.version,
        agreement.title,
        agreement.get_status_display(),
        "; ".join(p.organisation.name for p in parties),
        each(lambda p: p.get_controller_role_display() or "not given"),
        each(lambda p: p.get_lawful_basis_display() or "not given"),
        each(lambda p: p.legal_power or "not given"),
        agreement.purpose,
        "; ".join(c.name for c in agreement.data_categories.all()),
        agreement.data_items,
        agreement.special_category_conditions,
        agreement.part3_conditions,
        agreement.dpia_reference,
        agreement.retention_and_deletion,
        agreement.security_measures,
        agreement.individuals_rights,
        agreement.subject_access_contact,
        agreement.sharing_frequency,
        agreement.start_date,
        agreement.review_date,
        agreement.expiry_date,
        each(
            lambda p: f"{p.signatory_name} on {timezone.localtime(p.signed_at):%Y-%m-%d}" if p.signed_at else "unsigned"
        ),
        timezone.localtime(agreement.activated_at).strftime("%Y-%m-%d %H:%M") if agreement.activated_at else "",
        timezone.localtime(agreement.ended_at).strftime("%Y-%m-%d %H:%M") if agreement.ended_at else "",
        agreement.end_reason,
    ]


@require_http_methods(["GET"])
def agreement_export(request: HttpRequest) -> HttpResponse:
    form = _register_form(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, "The export was not made: correct the filters first.")
        return redirect(f"{reverse('agreement-list')}?{request.GET.urlencode()}")
    agreements = list(_filtered(request, form))
    filters = {key: str(value) for key, value in form.filters().items() if value not in (None, "")}
    services.agreement_register_exported(actor=_user(request), agreements=agreements, filters=filters)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="agreements-{timezone.localdate():%Y-%m-%d}.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv_writer(response)
    writer.writerow(EXPORT_HEADINGS)
    for agreement in agreements:
        writer.writerow(_export_row(agreement))
    return response


@require_http_methods(["GET", "POST"])
def agreement_create(request: HttpRequest) -> HttpResponse:
    if not selectors.can_edit_agreements(_user(request)):
        raise PermissionDenied
    form = AgreementForm(_posted(request)[0])
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create_draft(
                actor=_user(request),
                title=form.cleaned_data["title"],
                parties=form.cleaned_data["parties"],
                data_categories=form.cleaned_data["data_categories"],
                **{k: v for k, v in form.service_fields().items() if k not in ("parties", "data_categories")},
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"Draft {agreement.reference} created.")
            return redirect("agreement-detail", pk=agreement.pk)
    return render(request, "partnerships/agreement_form.html", {"form": form, "agreement": None})


@require_http_methods(["GET"])
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=_user(request), pk=pk)
    return render(request, "partnerships/agreement_detail.html", _detail_context(request, agreement))


def _detail_context(request: HttpRequest, agreement: Agreement, form: Any = None) -> dict[str, Any]:
    user = _user(request)
    can_edit = selectors.can_edit_agreements(user)
    is_draft = agreement.status == AgreementStatus.DRAFT
    parties = [
        {"party": p, "can_sign": is_draft and not p.is_signed and selectors.can_sign(user, p)}
        for p in agreement.parties.all()
    ]
    versions = list(selectors.agreement_versions(user=user, agreement=agreement))
    has_open_amendment = any(
        v.previous_version_id == agreement.pk and v.status == AgreementStatus.DRAFT for v in versions
    )
    return {
        "agreement": agreement,
        "parties": parties,
        "missing": selectors.agreement_missing_items(agreement) if is_draft else [],
        "versions": versions,
        "form": form,
        "can_edit": can_edit and is_draft,
        "can_activate": can_edit and is_draft,
        "can_review": can_edit and agreement.status == AgreementStatus.ACTIVE,
        "can_terminate": can_edit and agreement.status not in (AgreementStatus.EXPIRED, AgreementStatus.TERMINATED),
        "can_amend": can_edit and agreement.status in IN_FORCE_STATUSES and not has_open_amendment,
        "can_upload": can_edit and agreement.status not in (AgreementStatus.EXPIRED, AgreementStatus.TERMINATED),
    }


@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=_user(request), pk=pk, action="change")
    if agreement.status != AgreementStatus.DRAFT:
        messages.error(request, services.AGREEMENT_NOT_DRAFT)
        return redirect("agreement-detail", pk=agreement.pk)
    form = AgreementForm(_posted(request)[0], initial=AgreementForm.initial_for(agreement))
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            services.agreement_update(
                actor=_user(request),
                agreement=agreement,
                title=form.cleaned_data["title"],
                parties=form.cleaned_data["parties"],
                data_categories=form.cleaned_data["data_categories"],
                seen_version=form.seen_version,
                **fields,
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "Agreement saved.")
            return redirect("agreement-detail", pk=agreement.pk)
    return render(request, "partnerships/agreement_form.html", {"form": form, "agreement": agreement})


@require_http_methods(["GET", "POST"])
def agreement_party_edit(request: HttpRequest, pk: int) -> HttpResponse:
    party = selectors.agreement_party_get_for_user(user=_user(request), pk=pk, action="change")
    if party.agreement.status != AgreementStatus.DRAFT:
        messages.error(request, services.AGREEMENT_NOT_DRAFT)
        return redirect("agreement-detail", pk=party.agreement_id)
    form = AgreementPartyForm(_posted(request)[0], instance=party)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_party_update(
                actor=_user(request),
                party=party,
                seen_version=form.seen_version,
                **{name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{party.organisation.name}'s details saved.")
            return redirect("agreement-detail", pk=party.agreement_id)
    return render(request, "partnerships/agreement_party_form.html", {"form": form, "party": party})


def _run(request: HttpRequest, action: Any, success: str, agreement_pk: int) -> HttpResponse:
    try:
        action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("agreement-detail", pk=agreement_pk)


@require_POST
def agreement_sign(request: HttpRequest, pk: int) -> HttpResponse:
    party = selectors.agreement_party_get_for_user(user=_user(request), pk=pk, action="sign")
    return _run(
        request,
        lambda: services.agreement_sign(actor=_user(request), party=party, seen_version=posted_version(request.POST)),
        f"You signed the agreement for {party.organisation.name}.",
        party.agreement_id,
    )


@require_POST
def agreement_activate(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=_user(request), pk=pk, action="change")
    try:
        services.agreement_activate(
            actor=_user(request), agreement=agreement, seen_status=request.POST.get("seen_status") or None
        )
    except ValidationError as error:
        form = ActivateForm(data={})
        form.is_valid()
        form_add_service_errors(form, error)
        context = _detail_context(request, agreement, form=form)
        return render(request, "partnerships/agreement_detail.html", context)
    messages.success(request, f"{agreement.reference} version {agreement.version} is now active.")
    return redirect("agreement-detail", pk=agreement.pk)


@require_POST
def agreement_review(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=_user(request), pk=pk, action="change")
    return _run(
        request,
        lambda: services.agreement_start_review(
            actor=_user(request), agreement=agreement, seen_status=request.POST.get("seen_status") or None
        ),
        "The agreement is now under review. It stays in force while it is reviewed.",
        agreement.pk,
    )


@require_http_methods(["GET", "POST"])
def agreement_terminate(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=_user(request), pk=pk, action="change")
    form = TerminateForm(_posted(request)[0], initial={"seen_status": agreement.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_terminate(
                actor=_user(request),
                agreement=agreement,
                reason=form.cleaned_data["reason"],
                seen_status=form.cleaned_data["seen_status"] or None,
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, f"{agreement.reference} version {agreement.version} has been terminated.")
            return redirect("agreement-detail", pk=agreement.pk)
    return render(request, "partnerships/agreement_terminate.html", {"form": form, "agreement": agreement})


@require_POST
def agreement_amend(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=_user(request), pk=pk, action="change")
    try:
        amendment = services.agreement_amend(actor=_user(request), agreement=agreement)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("agreement-detail", pk=agreement.pk)
    messages.success(
        request,
        f"Version {amendment.version} created as a draft. Version {agreement.version} stays in force "
        "until this one is activated.",
    )
    return redirect("agreement-edit", pk=amendment.pk)


@require_http_methods(["GET"])
def agreement_document(request: HttpRequest, pk: int) -> HttpResponseBase:
    agreement = selectors.agreement_get_for_user(user=_user(request), pk=pk)
    if not agreement.document:
        raise Http404
    try:
        handle = agreement.document.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    services.agreement_document_downloaded(actor=_user(request), agreement=agreement)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"{agreement.reference}-v{agreement.version}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def agreement_document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.agreement_get_for_user(user=_user(request), pk=pk, action="change")
    form = DocumentForm(*_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_attach_document(
                actor=_user(request), agreement=agreement, uploaded_file=form.cleaned_data["document"]
            )
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, "Signed document uploaded.")
            return redirect("agreement-detail", pk=agreement.pk)
    return render(request, "partnerships/agreement_document_form.html", {"form": form, "agreement": agreement})


urlpatterns: list[URLPattern] = [
    path("agreements/", agreement_list, name="agreement-list"),
    path("agreements/export.csv", agreement_export, name="agreement-export"),
    path("agreements/new/", agreement_create, name="agreement-create"),
    path("agreements/<int:pk>/", agreement_detail, name="agreement-detail"),
    path("agreements/<int:pk>/edit/", agreement_edit, name="agreement-edit"),
    path("agreements/<int:pk>/activate/", agreement_activate, name="agreement-activate"),
    path("agreements/<int:pk>/review/", agreement_review, name="agreement-review"),
    path("agreements/<int:pk>/terminate/", agreement_terminate, name="agreement-terminate"),
    path("agreements/<int:pk>/amend/", agreement_amend, name="agreement-amend"),
    path("agreements/<int:pk>/document/", agreement_document, name="agreement-document"),
    path("agreements/<int:pk>/document/upload/", agreement_document_upload, name="agreement-document-upload"),
    path("agreements/parties/<int:pk>/edit/", agreement_party_edit, name="agreement-party-edit"),
    path("agreements/parties/<int:pk>/sign/", agreement_sign, name="agreement-sign"),
]
