"""The capacity figure: a probe meets the target only when every endpoint answered under the p95 target
without errors; several probe series give their median (a probed rate), each series' figure kept."""
import argparse

import pytest

from bench import run


def _probe(**p95):
    return {"_all": {"p95_ms": 50, "errors": 0}, **{k: {"p95_ms": v, "errors": 0} for k, v in p95.items()}}


def test_a_probe_meets_the_target_only_when_every_endpoint_does():
    assert run.probe_ok(_probe(timeline=40, new_post=99.9))
    assert not run.probe_ok(_probe(timeline=40, new_post=100))
    assert not run.probe_ok(_probe(timeline=40, new_post=None))
    failing = _probe(timeline=40)
    failing["timeline"]["errors"] = 1
    assert not run.probe_ok(failing)
    assert not run.probe_ok({"_all": {"p95_ms": 1, "errors": 0}})  # no endpoint answered


def test_the_capacity_is_the_median_of_the_series_and_keeps_each():
    series = [(150, {150: {"ok": True}}), (200, {200: {"ok": True}}), (100, {100: {"ok": True}})]
    figure = run.capacity(series)
    assert figure["best_rate"] == 150
    assert [r["best_rate"] for r in figure["probe_runs"]] == [150, 200, 100]


def test_a_series_where_no_rate_met_the_target_counts_as_none():
    assert run.capacity([(None, {}), (None, {}), (200, {})])["best_rate"] is None
    assert run.capacity([(None, {}), (200, {}), (300, {})])["best_rate"] == 200
    # Two series: the lower middle, a rate that was actually probed.
    assert run.capacity([(100, {}), (200, {})])["best_rate"] == 100


def _args(**overrides):
    values = {"scale": "region", "runs": None, "probe_s": None, "saturation_s": None, "mix_s": None, "rates": None}
    return argparse.Namespace(**{**values, **overrides})


def test_region_probes_last_a_minute_three_times_by_default():
    plan = run.plan_for(_args())
    assert plan["probe_s"] >= 60 and plan["runs"] == 3
    assert run.REGION_TARGET_RPS in plan["rates"]


def test_the_command_line_shortens_a_plan_without_changing_the_table():
    plan = run.plan_for(_args(scale="city", runs=3, probe_s=5, rates=[50, 100]))
    assert (plan["runs"], plan["probe_s"], plan["rates"]) == (3, 5, [50, 100])
    assert run.PLANS["city"]["runs"] == 1 and run.PLANS["city"]["probe_s"] == 10
    with pytest.raises(SystemExit, match="--probe-s"):
        run.plan_for(_args(probe_s=0))


def test_the_report_names_each_series_and_the_region_target():
    results = {"scale": "region", "probe_s": 60, "max_rate_p95_under_100ms": 150,
               "probe_runs": [{"best_rate": 150}, {"best_rate": None}, {"best_rate": 200}]}
    assert run.capacity_note(results) == " (60-second probes; median of 3 series: 150, none, 200)"


def _results(**cpu):
    endpoints = {name: {"p95_ms": 20.0, "errors": 0, "queries_per_request": 3,
                        "cpu_ms_per_request": {"app": app, "db": db, "load": 1.0}}
                 for name, (app, db) in cpu.items()}
    return {"scale": "smoke", "rate_rps": 10, "endpoints": endpoints, "annual_report_5y_s": 0.2, "import_rows": 10,
            "import_s": 1.0, "baseline": {"cpu_ms_per_request": {"app": 1.0, "db": 0.0, "load": 0.5}}}


def test_the_cpu_target_is_application_within_the_database_for_the_patient_endpoints():
    lines = run.target_lines(_results(patient_list=(2.5, 2.6), timeline=(4.0, 3.0), new_post=(3.0, 3.0)))
    cpu = [line for line in lines if "application CPU" in line]
    assert cpu == [
        "- patient_list: application CPU ≤ database CPU — met (app 2.5 ms, database 2.6 ms per request)",
        "- timeline: application CPU ≤ database CPU — **missed** (app 4.0 ms, database 3.0 ms per request)",
        "- new_post: application CPU ≤ database CPU — met (app 3.0 ms, database 3.0 ms per request)",
    ]
    assert not any("40 %" in line for line in lines)
    table = run.cpu_lines(_results(patient_list=(2.5, 2.6), timeline=(4.0, 3.0), new_post=(3.0, 3.0)))
    assert "| timeline | 4.0 | 3.0 | 1.0 | 8.0 | 1.33 |" in table and "| baseline (no database) | 1.0 | 0.0 | 0.5 | 1.5 | — |" in table
