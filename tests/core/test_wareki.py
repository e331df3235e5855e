import datetime

import pytest

from renkei.core import wareki

D = datetime.date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(2025, 4, 1), "令和7年4月1日"),
        (D(2019, 5, 1), "令和元年5月1日"),
        (D(2019, 4, 30), "平成31年4月30日"),
        (D(1989, 1, 8), "平成元年1月8日"),
        (D(1989, 1, 7), "昭和64年1月7日"),
        (D(2020, 1, 1), "令和2年1月1日"),
    ],
)
def test_it_formats_era_dates(value, expected):
    assert wareki.format_era_date(value) == expected


@pytest.mark.parametrize(
    ("value", "fy"),
    [(D(2021, 4, 1), 2021), (D(2022, 3, 31), 2021), (D(2021, 3, 31), 2020), (D(2021, 12, 31), 2021)],
)
def test_it_finds_the_fiscal_year_of_a_date(value, fy):
    assert wareki.fiscal_year(value) == fy


@pytest.mark.parametrize(
    ("fy", "label"),
    [(2021, "令和3年度"), (2019, "令和元年度"), (2020, "令和2年度"), (2018, "平成30年度"), (2025, "令和7年度")],
)
def test_it_labels_fiscal_years(fy, label):
    assert wareki.fiscal_year_label(fy) == label


def test_fiscal_year_bounds_run_april_to_march():
    assert wareki.fiscal_year_bounds(2021) == (D(2021, 4, 1), D(2022, 3, 31))


def test_it_formats_a_month():
    assert wareki.format_month(D(2019, 5, 20)) == "令和元年5月"


def test_aware_datetimes_use_tokyo_time():
    late_utc = datetime.datetime(2019, 4, 30, 16, 0, tzinfo=datetime.UTC)  # 2019-05-01 01:00 JST
    assert wareki.format_era_date(late_utc) == "令和元年5月1日"


@pytest.mark.parametrize(
    ("text", "fy"),
    [
        ("2021", 2021), ("２０２１", 2021), ("2021年度", 2021), ("令和3年度", 2021), ("令和３年度", 2021),
        ("令和元年度", 2019), ("令和3", 2021), ("R3", 2021), ("r.3", 2021), ("平成30年度", 2018), ("H30", 2018),
        (" 令和 7 年度 ", 2025), ("昭和64年", 1989),
    ],
)
def test_it_reads_a_fiscal_year_typed_in_either_calendar(text, fy):
    assert wareki.parse_fiscal_year(text) == fy


@pytest.mark.parametrize("text", ["", "令和", "令和0年度", "21", "二〇二一", "2021-22", "X3"])
def test_it_reads_nothing_from_text_that_is_no_fiscal_year(text):
    assert wareki.parse_fiscal_year(text) is None
