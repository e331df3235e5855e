"""Pages of pamphlets (item キ) and regional cooperation (item ク)."""
from django.shortcuts import redirect, render
from django.urls import reverse

from renkei.core.access import get_in_my_cities_or_404, my_municipality_ids
from renkei.core.errors import AppError, show_error
from renkei.core.paging import paginate

from .. import forms, selectors, services
from ..models import (
    Pamphlet,
    PamphletEdition,
    RegionalActivity,
)
from .common import PAGE_SIZE, city_filter, form_page, save_form, staff_only, staff_or_coordinator


@staff_or_coordinator
def pamphlet_list(request):
    form = forms.PamphletForm(request.POST or None, user=request.user)
    if save_form(request, form, lambda data: services.create_pamphlet(user=request.user, data=data, request=request), "パンフレットを登録しました。", staff_writes=True):
        return redirect("records:pamphlet_list")
    city, city_context = city_filter(request)
    pamphlets = selectors.pamphlets_with_editions(request.user, city)
    return render(request, "records/pamphlet_list.html", {"pamphlets": pamphlets, "form": form, **city_context})


@staff_only
def edition_new(request, pamphlet_pk):
    pamphlet = get_in_my_cities_or_404(request.user, Pamphlet, pamphlet_pk)
    form = forms.EditionForm(request.POST or None)
    if save_form(request, form, lambda data: services.add_pamphlet_edition(user=request.user, pamphlet=pamphlet, data=data, request=request), "版を登録しました。"):
        return redirect("records:pamphlet_list")
    return form_page(request, form, f"版の登録（{pamphlet.title}）", reverse("records:pamphlet_list"))


@staff_only
def distribution_new(request, edition_pk):
    edition = get_in_my_cities_or_404(request.user, PamphletEdition.objects.select_related("pamphlet"), edition_pk)
    form = forms.DistributionForm(request.POST or None)
    if save_form(request, form, lambda data: services.add_pamphlet_distribution(user=request.user, edition=edition, data=data, request=request), "配布を記録しました。"):
        return redirect("records:pamphlet_list")
    return form_page(request, form, f"配布の記録（{edition}）", reverse("records:pamphlet_list"))


@staff_or_coordinator
def regional_list(request):
    """Activities (ク) the user's cities recorded or took part in; the recording city's staff edit them."""
    city, city_context = city_filter(request)
    page = paginate(request, selectors.regional_activities(request.user, city), PAGE_SIZE)
    mine = set(my_municipality_ids(request.user))
    for activity in page:
        activity.editable = request.user.is_municipal_staff and activity.municipality_id in mine
    return render(request, "records/regional_list.html", {"page": page, **city_context})


@staff_only
def regional_new(request):
    form = forms.RegionalActivityForm(request.POST or None, user=request.user)
    if save_form(request, form, lambda data: services.save_regional_activity(user=request.user, data=data, request=request), "連携の記録を登録しました。"):
        return redirect("records:regional_list")
    return form_page(request, form, "関係市区町村との連携の記録", reverse("records:regional_list"))


@staff_only
def regional_edit(request, pk):
    """Edit an activity (ク): the recording city's staff only; a city that took part reads it (403 here)."""
    activity = get_in_my_cities_or_404(request.user, RegionalActivity, pk)
    if not services.may_edit_regional_activity(request.user, activity):
        error = AppError("この連携の記録は、記録した市区町村の職員だけが編集できます。", status=403)
        show_error(request, error, obj=activity)
        return redirect("records:regional_list")
    form = forms.RegionalActivityForm(request.POST or None, instance=activity, user=request.user)
    if save_form(request, form, lambda data: services.save_regional_activity(
            user=request.user, data=data, activity=activity, request=request), "連携の記録を更新しました。"):
        return redirect("records:regional_list")
    return form_page(request, form, "関係市区町村との連携の記録を編集", reverse("records:regional_list"))
