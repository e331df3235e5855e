"""The shape in which each part hands its yearly figures to the annual report.

Every app that has figures for the report defines `renkei/<app>/figures.py` with

    def annual_figures(fiscal_years: list[int], municipality) -> list[Figure]
    def city_figures(fiscal_years: list[int], city_ids: list[int]) -> dict[int, list[Figure]]

counting them from its records (never typed in), for one city (`municipality`: a Municipality or its
id) or for several cities at once (the area view), with the same fixed number of queries whatever the
number of cities. Which city a row counts for is each module's documented rule (docs/domain.md,
"Reports per city"). The reports app collects them.
"""
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


def city_id(municipality: Any) -> int:
    """The id of a Municipality given as an object or an id."""
    return int(getattr(municipality, "pk", municipality))


def one_city(city_figures: Callable[[Any, list[int]], dict[int, list["Figure"]]], fiscal_years: Any,
             municipality: Any) -> list["Figure"]:
    """One city's figures from a several-cities function (`city_figures(fiscal_years, [city id])`): what each
    part's single-city `annual_figures` is."""
    cid = city_id(municipality)
    return city_figures(fiscal_years, [cid])[cid]


ITEMS = {
    "a": "(ア) 地域の医療・介護の資源の把握",
    "i": "(イ) 在宅医療・介護連携の課題の抽出と対応策の検討",
    "u": "(ウ) 切れ目のない在宅医療と介護の提供体制の構築推進",
    "e": "(エ) 医療・介護関係者の情報共有の支援",
    "o": "(オ) 在宅医療・介護連携に関する相談支援",
    "ka": "(カ) 医療・介護関係者の研修",
    "ki": "(キ) 地域住民への普及啓発",
    "ku": "(ク) 在宅医療・介護連携に関する関係市区町村の連携",
}


@dataclass(frozen=True)
class Figure:
    """One counted figure of one fiscal year under one of the eight items."""

    fiscal_year: int  # Western year in which the fiscal year starts (令和3年度 = 2021)
    item: str  # a key of ITEMS
    key: str  # stable machine name, e.g. "network.registered_members"
    label: str  # Japanese label as the report prints it, e.g. "ICT連携登録数"
    value: int
    unit: str = "件"
