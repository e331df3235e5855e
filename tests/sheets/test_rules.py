"""The score and route rules, table-driven over their boundaries."""
import datetime

import pytest

from renkei.sheets import rules

FULL_BARTHEL = {"feeding": 10, "transfer": 15, "grooming": 5, "toilet": 10, "bathing": 5, "mobility": 15,
                "stairs": 10, "dressing": 10, "bowels": 10, "bladder": 10}


def test_barthel_of_a_fully_independent_person_is_100():
    assert rules.barthel_index(FULL_BARTHEL).total == 100


def test_barthel_of_a_fully_dependent_person_is_0():
    assert rules.barthel_index(dict.fromkeys(FULL_BARTHEL, 0)).total == 0


def test_barthel_sums_the_ten_items():
    assert rules.barthel_index(FULL_BARTHEL | {"transfer": 5, "stairs": 0}).total == 80


@pytest.mark.parametrize("item,value", [("grooming", 10), ("transfer", 20), ("feeding", 7), ("stairs", -5)])
def test_barthel_refuses_a_value_the_item_does_not_allow(item, value):
    score = rules.barthel_index(FULL_BARTHEL | {item: value})
    assert score.total is None and "範囲外" in score.reasons[0]


def test_barthel_names_a_missing_item():
    score = rules.barthel_index({k: v for k, v in FULL_BARTHEL.items() if k != "bathing"})
    assert score.reasons == ["バーセルインデックス「入浴」が未入力です。"]


def test_barthel_accepts_numbers_sent_as_text():
    assert rules.barthel_index({k: str(v) for k, v in FULL_BARTHEL.items()}).total == 100


def test_barthel_does_not_take_a_boolean_for_a_number():
    assert not rules.barthel_index(FULL_BARTHEL | {"grooming": True}).valid


def _fim(motor, cognitive):
    return {k: motor for k, _ in rules.FIM_MOTOR_ITEMS} | {k: cognitive for k, _ in rules.FIM_COGNITIVE_ITEMS}


@pytest.mark.parametrize("motor,cognitive,total", [(1, 1, 18), (7, 7, 126), (5, 3, 80)])
def test_fim_totals_motor_and_cognitive(motor, cognitive, total):
    score = rules.fim(_fim(motor, cognitive))
    assert (score.subtotals["motor"], score.subtotals["cognitive"], score.total) == (13 * motor, 5 * cognitive, total)


@pytest.mark.parametrize("value", [0, 8])
def test_fim_refuses_an_item_outside_1_to_7(value):
    score = rules.fim(_fim(4, 4) | {"memory": value})
    assert score.reasons == [f"FIM「記憶」は 1〜7 点です（{value} 点は範囲外）。"]


@pytest.mark.parametrize("value,valid", [(0, True), (6, True), (-1, False), (7, False), (None, False)])
def test_modified_rankin_is_0_to_6(value, valid):
    assert rules.modified_rankin(value).valid is valid


@pytest.mark.parametrize("value,valid", [(0, True), (42, True), (43, False), (-1, False)])
def test_nihss_is_0_to_42(value, valid):
    assert rules.nihss(value).valid is valid


def _dasc(value):
    return {str(n): value for n in range(1, 22)}


@pytest.mark.parametrize("value,total", [(1, 21), (4, 84)])
def test_dasc21_total_runs_from_21_to_84(value, total):
    assert rules.dasc21(_dasc(value)).total == total


def test_dasc21_splits_cognition_and_function():
    score = rules.dasc21({str(n): (3 if n <= 9 else 1) for n in range(1, 22)})
    assert (score.subtotals["cognition"], score.subtotals["function"]) == (27, 12)


@pytest.mark.parametrize("answers,note", [({"1": 1} | {str(n): 1 for n in range(2, 22)}, "31点未満"),
                                         ({**_dasc(1), "1": 4, "2": 4, "3": 4, "4": 2}, "認知症の可能性あり（31点以上）")])
def test_dasc21_flags_31_points_or_more(answers, note):
    assert rules.dasc21(answers).note == note


def test_dasc21_refuses_a_fifth_grade():
    score = rules.dasc21(_dasc(2) | {"21": 5})
    assert score.reasons == ["DASC-21 問21（身体的ADL②・移動）は 1〜4 点です（5 点は範囲外）。"]


def test_dasc21_needs_all_21_items():
    answers = _dasc(2)
    del answers["7"]
    assert "問7" in rules.dasc21(answers).reasons[0]


def test_dasc21_names_every_missing_item_in_one_message():
    answers = _dasc(2)
    del answers["3"], answers["20"]
    assert rules.dasc21(answers).reasons == [
        "DASC-21 の未回答の項目があります（問3、問20）。21項目すべてに回答してから確定してください。"]


def test_a_dasc21_draft_may_leave_items_unanswered_without_a_total():
    answers = _dasc(2)
    del answers["3"]
    score = rules.dasc21(answers, require_all=False)
    assert (score.valid, score.total) == (True, None)


def test_a_dasc21_draft_still_refuses_an_answer_out_of_range():
    answers = _dasc(2) | {"5": 7}
    del answers["3"]
    assert rules.dasc21(answers, require_all=False).reasons == [
        "DASC-21 問5（見当識・場所）は 1〜4 点です（7 点は範囲外）。"]


def test_questions_a_and_b_never_count_in_the_dasc21_total():
    assert rules.dasc21(_dasc(1) | {"a": 4, "b": 4}).total == 21


def test_the_dasc21_profile_gives_each_domain_its_sum_and_maximum():
    answers = _dasc(1) | {"1": 4, "2": 3, "3": 2, "21": 4}
    profile = {d.key: (d.score, d.maximum) for d in rules.dasc_profile(answers)}
    assert profile == {"memory": (9, 12), "orientation": (3, 12), "judgement": (3, 12), "iadl_outside": (3, 12),
                       "iadl_home": (3, 12), "adl_1": (3, 12), "adl_2": (6, 12)}


def test_a_dasc21_domain_with_an_unanswered_item_has_no_sum_yet():
    answers = _dasc(2)
    del answers["5"]
    orientation = next(d for d in rules.dasc_profile(answers) if d.key == "orientation")
    assert (orientation.score, orientation.answered, orientation.items) == (None, 2, 3)


def test_the_dasc21_profile_covers_the_21_items_once():
    profile = rules.dasc_profile({})
    assert sum(d.items for d in profile) == 21 and sum(d.maximum for d in profile) == 84


@pytest.mark.parametrize("number,scale", [(1, rules.DASC_FREQUENCY_SCALE), (6, rules.DASC_FREQUENCY_SCALE),
                                          (7, rules.DASC_ABILITY_SCALE), (21, rules.DASC_ABILITY_SCALE)])
def test_dasc21_items_1_to_6_ask_how_often_and_7_to_21_how_well(number, scale):
    assert rules.dasc_scale(number) is scale


def test_a_route_starts_at_its_first_stage():
    assert rules.route_step(rules.STROKE_ROUTE, []).next_stage == "acute"


def test_a_route_moves_to_the_next_stage_in_turn():
    assert rules.route_step(rules.DEMENTIA_ROUTE, ["memory_doctor"]).next_stage == "specialist"


def test_a_route_is_complete_after_its_last_stage():
    assert rules.route_step(rules.DEMENTIA_ROUTE, ["memory_doctor", "specialist", "family_doctor"]).complete


def test_a_route_refuses_answers_out_of_order():
    with pytest.raises(ValueError):
        rules.route_step(rules.STROKE_ROUTE, ["recovery"])


START = datetime.date(2025, 4, 1)


@pytest.mark.parametrize("today,warning,overdue", [
    (datetime.date(2025, 8, 31), False, False),
    (datetime.date(2025, 9, 1), True, False),
    (datetime.date(2025, 10, 1), True, False),
    (datetime.date(2025, 10, 2), True, True),
])
def test_support_lasts_six_months_with_a_warning_in_the_last_30_days(today, warning, overdue):
    period = rules.support_period(START, None, today)
    assert (period.ends_on, period.warning, period.overdue) == (datetime.date(2025, 10, 1), warning, overdue)


def test_a_closed_case_has_no_warning():
    assert not rules.support_period(START, datetime.date(2025, 6, 1), datetime.date(2025, 12, 1)).warning


def test_six_months_from_august_31_ends_on_the_last_day_of_february():
    assert rules.add_months(datetime.date(2025, 8, 31), 6) == datetime.date(2026, 2, 28)


# --- 退院・退所加算 from the hearing log (令和3年度介護報酬改定 居宅介護支援).
D1, D2, D3 = datetime.date(2025, 5, 20), datetime.date(2025, 5, 24), datetime.date(2025, 5, 28)


def _hearings(*entries):
    return [rules.Hearing(on, "病棟看護師", conference) for on, conference in entries]


@pytest.mark.parametrize("entries,level,units", [
    ([(D1, False)], "退院・退所加算（Ⅰ）イ", 450),
    ([(D1, True)], "退院・退所加算（Ⅰ）ロ", 600),
    ([(D1, False), (D2, False)], "退院・退所加算（Ⅱ）イ", 600),
    ([(D1, False), (D2, False), (D3, False)], "退院・退所加算（Ⅱ）イ", 600),
    ([(D1, False), (D2, True)], "退院・退所加算（Ⅱ）ロ", 750),
    ([(D1, True), (D2, True)], "退院・退所加算（Ⅱ）ロ", 750),
    ([(D1, False), (D2, False), (D3, True)], "退院・退所加算（Ⅲ）", 900),
])
def test_the_discharge_addition_follows_the_number_of_hearings_and_conferences(entries, level, units):
    addition = rules.discharge_addition(_hearings(*entries))
    assert (addition.level, addition.units) == (level, units)


def test_no_hearing_supports_no_discharge_addition():
    addition = rules.discharge_addition([])
    assert addition.level is None and addition.units == 0 and addition.reasons


def test_hearings_on_the_same_day_count_once():
    addition = rules.discharge_addition(_hearings((D1, False), (D1, True)))
    assert addition.level == "退院・退所加算（Ⅰ）ロ" and "1回と数えます" in addition.reasons[-1]


def test_three_hearings_without_a_conference_say_why_they_are_not_level_three():
    addition = rules.discharge_addition(_hearings((D1, False), (D2, False), (D3, False)))
    assert "（Ⅲ）にはなりません" in addition.reasons[-1]
