"""Japanese words for the audit trail: the one mapping the audit page and the CSV export use.

The trail itself keeps the stable machine codes (`otp.success`, `network.patient`); only what people read is
translated. An object type is a model label (`app.model`): its model's Japanese verbose_name, unless named below
(models of third-party apps have English verbose names; a few labels are not models). An unknown code is shown
as recorded."""
from django.apps import apps

from .audit import Action

ACTION_LABELS = {
    Action.LOGIN_SUCCESS: "ログイン 成功",
    Action.LOGIN_FAILURE: "ログイン 失敗",
    Action.LOCKOUT: "ログイン ロック",
    Action.UNLOCK: "ログイン ロック解除",
    Action.LOGOUT: "ログアウト",
    Action.OTP_SUCCESS: "二段階認証 成功",
    Action.OTP_FAILURE: "二段階認証 失敗",
    Action.OTP_ENROLLED: "二段階認証 登録",
    Action.OTP_THROTTLED: "二段階認証 試行制限",
    Action.OTP_RESET: "二段階認証 リセット",
    Action.PERMISSION_DENIED: "アクセス拒否",
    Action.CSRF_FAILURE: "不正な送信（CSRF）",
    Action.REGISTRATION_APPLIED: "登録申請",
    Action.REGISTRATION_APPROVED: "登録申請 承認",
    Action.REGISTRATION_REJECTED: "登録申請 却下",
    Action.REGISTRATION_INVALID: "登録申請 入力不備",
    Action.REGISTRATION_DUPLICATE: "登録申請 重複",
    Action.REGISTRATION_THROTTLED: "登録申請 試行制限",
    Action.REGISTRATION_WITHDRAWN: "退会",
    Action.TOKEN_ISSUED: "APIトークン 発行",
    Action.TOKEN_REJECTED: "APIトークン 拒否",
    Action.TOKEN_REVOKED: "APIトークン 失効",
    Action.PASSWORD_RESET_REQUESTED: "パスワード再設定 申請",
    Action.PASSWORD_RESET: "パスワード再設定",
    Action.PASSWORD_CHANGED: "パスワード変更",
    Action.READ: "閲覧",
    Action.CREATE: "作成",
    Action.UPDATE: "更新",
    Action.DELETE: "削除",
    Action.EXPORT: "出力",
    Action.DOWNLOAD: "ダウンロード",
}

OBJECT_TYPE_LABELS = {
    "otp_totp.totpdevice": "二段階認証の端末",
    "otp_static.staticdevice": "二段階認証の予備コード",
    "otp_static.statictoken": "二段階認証の予備コード",
    "axes.accessfailurelog": "ログイン失敗の記録",
    "axes.accessattempt": "ログイン試行の記録",
    "axes.accessattemptexpiration": "ログイン試行の記録",
    "axes.accesslog": "ログインの記録",
    "network.patient": "患者",
    "network.postrevision": "投稿の修正履歴",
    "network.postread": "既読の記録",
    "network.notification": "通知",
    "records.surveyinvitation": "アンケートの依頼",
    "records.answer": "アンケートの回答",
    "core.member_table": "登録会員数の表",
    "reports.annual": "年次報告",
    "reports.area": "地域別の集計",
    "backup": "バックアップ",
}


def action_label(action: str | None) -> str:
    return ACTION_LABELS.get(action or "", action or "")


def object_type_label(object_type: str | None) -> str:
    if not object_type:
        return ""
    if object_type in OBJECT_TYPE_LABELS:
        return OBJECT_TYPE_LABELS[object_type]
    app_label, _, model_name = object_type.partition(".")
    try:
        return str(apps.get_model(app_label, model_name)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type
