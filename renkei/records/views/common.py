"""Helpers shared by the records pages: roles, saving through a service, forms (pages: renkei.core.paging)."""
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from renkei.core.access import my_municipalities, my_municipality_ids
from renkei.core.auth import role_required
from renkei.core.errors import AppError, show_error
from renkei.core.figures import ITEMS
from renkei.core.wareki import fiscal_year

from .. import selectors
from ..models import (
    Consultation,
    Countermeasure,
    FollowUpStatus,
    Progress,
)

PAGE_SIZE = 50
MAX_REGISTRATIONS = 1000
staff_only = role_required("staff")
staff_or_coordinator = role_required("staff", "coordinator")


def save_form(request, form, save, success, *, staff_writes=False):
    """Validate the form, call the service, report errors on the form; return the saved object or None.

    staff_writes: a page coordinators read too, whose form is the staff's: a coordinator's POST is a 404."""
    if request.method == "POST" and staff_writes and not request.user.is_municipal_staff:
        raise Http404
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        obj = save(form.cleaned_data)
    except AppError as error:
        show_error(request, error, form)
        return None
    messages.success(request, success)
    return obj


def form_flow(request, form, save, *, success, title, back, done):
    """A form page that saves through `save` and then shows the saved record's page (URL name `done`)."""
    obj = save_form(request, form, save, success)
    if obj:
        return redirect(done, pk=obj.pk)
    return form_page(request, form, title, back)


def record_form(request, form_class, save, *, instance=None, saved_as="", success, title, back, done,
                **form_kwargs):
    """The new or edit page of a record: `form_class` on the POST (and `instance` when editing) saved through
    save(user=, data=, request=[, <saved_as>=instance]), then the saved record's page (URL name `done`)."""
    form = form_class(request.POST or None, instance=instance, user=request.user, **form_kwargs)
    editing = {saved_as: instance} if instance is not None else {}
    return form_flow(request, form, lambda data: save(user=request.user, data=data, request=request, **editing),
                     success=success, title=title, back=back, done=done)


def form_page(request, form, title, back, **extra):
    return render(request, "records/form.html", {"form": form, "title": title, "back": back, **extra})



def city_filter(request):
    """The city a list page is narrowed to (`?city=<code>`, one of the user's; another answers 404) and the
    template context of the filter: staff of several cities see the city of each row and can pick one."""
    city = selectors.city_choice(request.user, request.GET.get("city"))
    if len(my_municipality_ids(request.user)) < 2:
        return city, {"show_city": False}
    return city, {"show_city": True, "cities": list(my_municipalities(request.user)), "city": city}


def fy_param(request):
    try:
        return int(request.GET.get("fy") or fiscal_year(timezone.localdate()))
    except ValueError:
        return fiscal_year(timezone.localdate())




def _figures(user, city, fy):
    """This fiscal year's figures of each city shown: [(city, [(item label, figure)])], counted per city by
    records.figures (`city_figures(fiscal_years, city_ids)`, the same queries whatever the number of cities)."""
    from ..figures import city_figures

    cities = [city] if city is not None else list(my_municipalities(user))
    counted = city_figures([fy], [c.pk for c in cities])
    return [(c, [(ITEMS[f.item], f) for f in counted.get(c.pk, [])]) for c in cities]


@staff_or_coordinator
def index(request):
    """The records home: this fiscal year at a glance and links to every record."""
    fy = fiscal_year(timezone.localdate())
    city, city_context = city_filter(request)
    mine = lambda model: selectors.mine(request.user, model, city)  # noqa: E731
    open_countermeasures = mine(Countermeasure).exclude(progress__in=[Progress.DONE, Progress.DROPPED]).count()
    open_follow_ups = mine(Consultation).filter(follow_up_status=FollowUpStatus.OPEN).count()
    return render(
        request,
        "records/index.html",
        {"fy": fy, "figures": _figures(request.user, city, fy), "open_countermeasures": open_countermeasures,
         "open_follow_ups": open_follow_ups, **city_context},
    )
