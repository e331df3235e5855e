"""Pages of pamphlets (item キ) and regional cooperation (item ク)."""
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from renkei.core.paging import paginate

from .. import forms, selectors, services
from ..models import (
    Pamphlet,
    PamphletEdition,
    RegionalActivity,
)
from .common import PAGE_SIZE, form_page, save_form, staff_only, staff_or_coordinator


@staff_or_coordinator
def pamphlet_list(request):
    form = forms.PamphletForm(request.POST or None)
    if request.method == "POST" and not request.user.is_municipal_staff:
        raise Http404

    if save_form(request, form, lambda data: services.create_pamphlet(user=request.user, data=data, request=request), "パンフレットを登録しました。"):
        return redirect("records:pamphlet_list")
    return render(request, "records/pamphlet_list.html", {"pamphlets": selectors.pamphlets_with_editions(), "form": form})


@staff_only
def edition_new(request, pamphlet_pk):
    pamphlet = get_object_or_404(Pamphlet, pk=pamphlet_pk)
    form = forms.EditionForm(request.POST or None)
    if save_form(request, form, lambda data: services.add_pamphlet_edition(user=request.user, pamphlet=pamphlet, data=data, request=request), "版を登録しました。"):
        return redirect("records:pamphlet_list")
    return form_page(request, form, f"版の登録（{pamphlet.title}）", reverse("records:pamphlet_list"))


@staff_only
def distribution_new(request, edition_pk):
    edition = get_object_or_404(PamphletEdition.objects.select_related("pamphlet"), pk=edition_pk)
    form = forms.DistributionForm(request.POST or None)
    if save_form(request, form, lambda data: services.add_pamphlet_distribution(user=request.user, edition=edition, data=data, request=request), "配布を記録しました。"):
        return redirect("records:pamphlet_list")
    return form_page(request, form, f"配布の記録（{edition}）", reverse("records:pamphlet_list"))


@staff_or_coordinator
def regional_list(request):
    page = paginate(request, RegionalActivity.objects.order_by("-held_on", "-id"), PAGE_SIZE)
    return render(request, "records/regional_list.html", {"page": page})


@staff_only
def regional_new(request):
    form = forms.RegionalActivityForm(request.POST or None)
    if save_form(request, form, lambda data: services.save_regional_activity(user=request.user, data=data, request=request), "連携の記録を登録しました。"):
        return redirect("records:regional_list")
    return form_page(request, form, "関係市区町村との連携の記録", reverse("records:regional_list"))
