"""The profile's report is counted from py-spy's collapsed stacks: own time at the innermost frame, time
including callees once per stack (a recursive function is not counted twice), the project's code apart."""
from bench import profile

RAW = """\
<module> (gunicorn/app.py:10);handle (django/core/handlers/base.py:181);list_patients (renkei/network/api.py:107);execute (django/db/backends/utils.py:100) 6
<module> (gunicorn/app.py:10);handle (django/core/handlers/base.py:181);list_patients (renkei/network/api.py:110);dumps (json/encoder.py:200) 3
<module> (gunicorn/app.py:10);walk (renkei/core/x.py:5);walk (renkei/core/x.py:7) 1
"""


def test_own_time_is_counted_at_the_innermost_frame():
    report = profile.summarise(RAW)
    own = report.split("Including callees")[0]
    assert report.startswith("10 samples")
    assert "       6  60.0%  execute (django/db/backends/utils.py)" in own
    assert "       3  30.0%  dumps (json/encoder.py)" in own


def test_inclusive_time_counts_a_function_once_per_stack_whatever_its_lines():
    report = profile.summarise(RAW)
    inclusive = report.split("Including callees")[1].split("Project code")[0]
    # Two lines of list_patients are one function; the recursive walk is counted once.
    assert "       9  90.0%  list_patients (renkei/network/api.py)" in inclusive
    assert "       1  10.0%  walk (renkei/core/x.py)" in inclusive
    assert "      10 100.0%  <module> (gunicorn/app.py)" in inclusive


def test_the_project_section_holds_only_renkei_code():
    project = profile.summarise(RAW).split("Project code")[1]
    assert "list_patients (renkei/network/api.py)" in project
    assert "django/" not in project and "gunicorn/" not in project


def test_no_samples_says_so():
    assert profile.summarise("").startswith("no samples")
