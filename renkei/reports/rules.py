"""Rules of the annual report (pure functions)."""
from renkei.records.rules import Check

MAX_REPORT_YEARS = 10
FIRST_FY, LAST_FY = 2000, 2100


def check_report_range(from_fy: int, to_fy: int) -> Check:
    """A report covers 1 to 10 fiscal years, oldest first."""
    if to_fy < from_fy:
        return Check(ok=False, reasons=["年度の範囲が逆です。開始年度は終了年度以前にしてください。"])
    if to_fy - from_fy + 1 > MAX_REPORT_YEARS:
        return Check(ok=False, reasons=[f"一度に出力できるのは{MAX_REPORT_YEARS}年度分までです。範囲を狭めてください。"])
    if from_fy < FIRST_FY or to_fy > LAST_FY:
        return Check(ok=False, reasons=[f"年度は{FIRST_FY}〜{LAST_FY}年度の範囲で指定してください。"])
    return Check(ok=True)
