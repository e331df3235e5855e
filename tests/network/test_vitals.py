from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from renkei.network import services
from renkei.network.charts import trend_panels
from renkei.network.models import Post, VitalSigns

pytestmark = pytest.mark.django_db


def _vitals(client, world, **values):
    data = {"measured_at": "2026-01-05T10:00"} | values
    return client.post(reverse("network:vitals_create", args=[world.patient.pk]), data)


def test_a_vitals_post_is_structured(world, login):
    _vitals(login(world.nurse), world, systolic=132, diastolic=78, pulse=72, spo2=96, temperature="36.6", weight="48.2")
    vitals = VitalSigns.objects.get()
    assert (vitals.systolic, vitals.spo2, str(vitals.temperature)) == (132, 96, "36.6")
    assert Post.objects.get().kind == "vitals"


def test_an_empty_vitals_post_is_refused(world, login):
    r = _vitals(login(world.nurse), world)
    assert r.status_code == 400 and "少なくとも1つ" in r.content.decode() and not Post.objects.exists()


def test_an_impossible_value_is_refused_next_to_its_field(world, login):
    r = _vitals(login(world.nurse), world, spo2=130)
    assert r.status_code == 400 and "SpO2は50〜100の範囲で入力してください。" in r.content.decode()
    assert not VitalSigns.objects.exists()


def test_every_problem_of_a_set_is_told_at_once(world, login):
    r = _vitals(login(world.nurse), world, pulse=0, spo2=150, systolic=300, temperature="45.5")
    errors = r.context["vitals_form"].errors
    assert set(errors) == {"pulse", "spo2", "diastolic", "temperature"}


def test_a_value_that_does_not_parse_is_told_with_those_out_of_range(world, login):
    r = _vitals(login(world.nurse), world, pulse="abc", spo2=150)
    assert set(r.context["vitals_form"].errors) == {"pulse", "spo2"}


def test_full_width_digits_are_read(world, login):
    _vitals(login(world.nurse), world, pulse="７２", temperature="３６．６")
    vitals = VitalSigns.objects.get()
    assert (vitals.pulse, str(vitals.temperature)) == (72, "36.6")


def test_a_measurement_in_the_future_is_refused(world, login):
    r = _vitals(login(world.nurse), world, measured_at="2099-01-01T10:00", pulse=70)
    assert r.context["vitals_form"].errors["measured_at"] == ["測定日時に未来の日付は入力できません。"]


def test_the_measurement_time_starts_at_now(world, login):
    client = login(world.nurse)
    before = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    page = client.get(reverse("network:timeline", args=[world.patient.pk]), {"show": "vitals"}).content.decode()
    after = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    assert f'name="measured_at" value="{before}"' in page or f'name="measured_at" value="{after}"' in page


def test_the_service_refuses_every_problem_at_once(world):
    vitals = {"measured_at": timezone.now(), "pulse": 0, "spo2": 150, "systolic": 300, "temperature": Decimal("45.5")}
    with pytest.raises(services.Refused) as refused:
        services.create_post(author=world.nurse, body="", patient=world.patient, vitals=vitals)
    assert set(refused.value.fields) == {"pulse", "spo2", "diastolic", "temperature"}


def test_a_refused_vitals_form_comes_back_open_on_the_vitals_tab(world, login):
    page = _vitals(login(world.nurse), world, spo2=130).content.decode()
    assert '<details class="vitals-form" open>' in page and '?show=vitals" aria-current="page"' in page


def test_a_recorded_vitals_post_leads_back_to_the_vitals_tab(world, login):
    r = _vitals(login(world.nurse), world, pulse=70)
    assert r.status_code == 302 and r["Location"].endswith("?show=vitals")


def test_the_vitals_tab_runs_a_fixed_number_of_queries(world, login, django_assert_num_queries):
    from tests.network.conftest import queries_of

    c = login(world.nurse)
    _vitals(c, world, pulse=70)
    url = reverse("network:timeline", args=[world.patient.pk])
    queries = queries_of(lambda: c.get(url, {"show": "vitals"}))
    for day in range(10, 20):
        _vitals(c, world, measured_at=f"2026-01-{day}T10:00", pulse=day + 60)
    with django_assert_num_queries(queries):
        c.get(url, {"show": "vitals"})


def test_blood_pressure_needs_both_values(world, login):
    r = _vitals(login(world.nurse), world, systolic=120)
    assert r.status_code == 400 and not VitalSigns.objects.exists()


def test_the_vitals_tab_shows_a_trend_chart(world, login):
    c = login(world.nurse)
    _vitals(c, world, pulse=70)
    c.post(reverse("network:vitals_create", args=[world.patient.pk]), {"measured_at": "2026-01-06T10:00", "pulse": 80})
    page = c.get(reverse("network:timeline", args=[world.patient.pk]), {"show": "vitals"}).content.decode()
    assert 'aria-label="脈拍の推移"' in page and "<polyline" in page


def test_the_chart_has_one_panel_per_measured_quantity():
    class V:
        def __init__(self, **kw):
            from django.utils import timezone

            self.measured_at = timezone.now()
            for key in ("systolic", "diastolic", "pulse", "spo2", "temperature", "weight"):
                setattr(self, key, kw.get(key))

    panels = trend_panels([V(pulse=70, spo2=95), V(pulse=75)])
    assert [p["title"] for p in panels] == ["脈拍", "SpO2"]
