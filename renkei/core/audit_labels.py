"""Japanese words for the audit trail: the one mapping the audit page and the CSV export use.

The trail itself keeps the stable machine codes (`otp.success`, `network.patient`); only what people read is
translated. An object type is a model label (`app.model`): its model's Japanese verbose_name, unless named below
(models of third-party apps have English verbose names; a few labels are not models). An unknown code is shown
as recorded."""
import re
from collections.abc import Callable, Iterable

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
    Action.FACILITY_ADMIN_NOMINATED: "施設管理者 推薦",
    Action.FACILITY_ADMIN_APPROVED: "施設管理者 承認",
    Action.FACILITY_ADMIN_REJECTED: "施設管理者 却下",
    Action.FACILITY_ADMIN_REVOKED: "施設管理者 取消",
    Action.FACILITY_STAFF_REGISTERED: "施設管理者による職員登録",
    Action.FACILITY_STAFF_WITHDRAWN: "施設管理者による退職処理",
    Action.FACILITY_STAFF_IMPORTED: "職員CSVの取り込み",
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
    "core.user": "アカウント",
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


# The free-text detail column: the machine words the services record, in Japanese. A detail already in Japanese
# (most of programs, directory) or not known here is shown as recorded; a known word inside a pattern below is
# translated with the rest of the pattern.
DETAIL_LABELS = {
    "accepted": "承諾", "declined": "辞退", "invited": "招待", "removed": "チームから外す",
    "first manager": "最初の管理者", "family account": "家族のアカウントを作成", "family revoked": "家族の閲覧を取り消し",
    "notification settings": "通知設定", "push subscription": "プッシュ通知の登録",
    "notice": "お知らせ", "invitation cancelled": "招待の取消", "facility people": "事業所の職員一覧", "edited": "修正", "retracted": "取り消し", "withdrawn": "同意の撤回",
    "profile": "基本情報", "consents": "同意の一覧", "team": "チーム", "thumbnail": "縮小画像",
    "notifications": "通知の一覧", "history": "修正履歴", "api": "API", "api patient list": "API：患者の一覧",
    "approved": "承認", "unapproved": "承認の取り消し", "json": "JSON", "xlsx": "Excel", "pdf": "PDF",
    "consultation": "相談記録", "event": "研修・催し", "question added": "設問を追加",
    "stay": "入退院日の記録", "back-bed list": "一時入院の依頼一覧", "back-bed hospital": "一時入院の受入れ病院",
    "dementia cases": "認知症初期集中支援の事例一覧", "dementia case": "認知症初期集中支援の事例",
    "started": "支援開始", "closed": "支援終了", "my sheets": "自分の連携シート", "sheets list": "連携シートの一覧",
    "received sheets": "受け取った連携シート", "edit page": "編集画面", "page": "表示", "send page": "送付画面",
    "stage page": "段階の入力画面", "read": "閲覧", "draft": "下書き保存", "finalised": "確定", "received": "受領",
    "api token": "APIトークン", "enrolment": "端末の登録", "web": "画面から", "registration approval": "登録申請の承認",
    "TOTPDevice": "認証アプリ", "fhir": "FHIR形式", "StaticDevice": "予備コード", "EmailDevice": "メール",
    "patient": "患者", "group": "グループ", "family timeline": "本人・家族タイムライン",
    "post form invalid": "投稿の入力不備", "api reply parent": "API：返信先の投稿", "not found": "見つからない",
    "team family": "本人・家族タイムライン",
    "conference": "カンファレンス", "conferences list": "カンファレンスの一覧", "conference cancelled": "カンファレンスの中止",
    "safety": "アレルギー・禁忌・感染症", "received document": "受け取った文書", "received documents": "受け取った文書の一覧",
    "medications": "お薬の一覧", "api medications": "API：お薬の一覧", "care plan": "ケアプラン",
}
_METHODS = {"GET": "表示", "HEAD": "表示", "POST": "送信", "PUT": "更新", "PATCH": "更新", "DELETE": "削除"}
_CSRF_REASONS = {
    "CSRF cookie not set.": "確認用のクッキーがありません",
    "CSRF token missing.": "確認用の値がありません",
    "CSRF token incorrect.": "確認用の値が正しくありません",
    "CSRF token from POST incorrect.": "確認用の値が正しくありません",
    "CSRF token from POST has incorrect length.": "確認用の値が正しくありません",
    "Referer checking failed - no Referer.": "送信元（Referer）がありません",
}
_OBJECT_WORDS = {
    "consent": "同意", "member": "チームの一員", "invitation": "招待", "family access": "家族の閲覧",
    "attachment": "添付ファイル", "group invitation": "グループへの招待", "reply to post": "返信先の投稿",
    "post": "投稿", "event": "研修・催し", "meeting": "会議", "group": "グループ",
}


def _choice_label(app_label: str, model_name: str, field_name: str, code: str) -> str:
    """The Japanese label of a stored choice code (a sheet's kind, a request's status), or the code."""
    try:
        choices = dict(apps.get_model(app_label, model_name)._meta.get_field(field_name).choices or ())
    except (LookupError, ValueError):
        return code
    return str(choices.get(code, code))


def _stage_label(code: str) -> str:
    try:
        from renkei.sheets import rules
    except ImportError:
        return code
    stages = dict(rules.STROKE_ROUTE) | dict(rules.DEMENTIA_ROUTE)
    return stages.get(code, code)


def _field_labels(app_label: str, model_name: str, names: Iterable[str]) -> str:
    """'name,birth_date' → '氏名、生年月日' (the model's verbose names; an unknown name as it is)."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError:
        return "、".join(names)
    labels = []
    for name in names:
        try:
            labels.append(str(model._meta.get_field(name).verbose_name))
        except Exception:  # noqa: BLE001 - a field that no longer exists is shown by its name
            labels.append(name)
    return "、".join(labels)


def _words(text: str) -> str:
    """A short machine word or 「word 123」 (an object and its number) in Japanese; other text as it is."""
    if text in DETAIL_LABELS:
        return DETAIL_LABELS[text]
    if text in _CSRF_REASONS:
        return _CSRF_REASONS[text]
    match = re.fullmatch(r"([a-z ]+?) (\d+)", text)
    if match and match.group(1) in _OBJECT_WORDS:
        return f"{_OBJECT_WORDS[match.group(1)]} {match.group(2)}"
    match = re.fullmatch(r"([A-Z]+) (\S+)", text)
    if match and match.group(1) in _METHODS:
        return f"{_METHODS[match.group(1)]} {match.group(2)}"
    if text.startswith("api "):
        return "API：" + _words(text[4:])
    if text.startswith("Origin checking failed"):
        return "送信元（Origin）が許可されていません"
    if text.startswith("Referer checking failed"):
        return "送信元（Referer）が許可されていません"
    return text


def _code_label(code: str) -> str:
    """A bare code: a sheet's kind (「入院時情報連携シート」) or a route stage (「回復期リハビリテーション」)."""
    kind = _choice_label("sheets", "Sheet", "kind", code)
    return kind if kind != code else _stage_label(code)


def _profession(code: str) -> str:
    return _choice_label("core", "User", "profession", code)


_DETAIL_RULES = [
    (r"(\d{3}) ([A-Z]+) (\S+) ?(.*)", lambda m: f"{m[1]} {_METHODS.get(m[2], m[2])} {m[3]}"
                                              + (f"（{_words(m[4])}）" if m[4] else "")),
    (r"(team|family|group) (text|vitals|notice)( group=(\d+))?", lambda m: (
        f"{DETAIL_LABELS['family timeline'] if m[1] == 'family' else '専門職タイムライン'}"
        f"：{_choice_label('network', 'Post', 'kind', m[2])}" + (f"（グループ {m[4]}）" if m[4] else ""))),
    (r"(team|family|group) timeline page before=(.*)", lambda m: "タイムラインの表示" + (f"（{m[2]}より前）" if m[2] else "")),
    (r"(team|family|group) poll after=(.*)", lambda m: f"タイムラインの更新確認（{m[2]}より後）"),
    (r"changed: (.*)", lambda m: "変更した項目：" + (_field_labels("network", "Patient", m[1].split(",")) if m[1] else "なし")),
    (r"manager=(True|False)", lambda m: "管理者にする" if m[1] == "True" else "管理者から外す"),
    (r"patient list q=(.*)", lambda m: "患者の一覧" + (f"（検索：{m[1]}）" if m[1] else "")),
    (r"api posts (.*)", lambda m: f"API：投稿の一覧 {m[1]}".strip()),
    (r"group (\d+) invited", lambda m: f"グループ {m[1]} に招待"),
    (r"attendance (\d+)", lambda m: f"出席 {m[1]}名"),
    (r"(\d+) invitations", lambda m: f"依頼 {m[1]}件"),
    (r"prefill (\w+)", lambda m: f"{_choice_label('sheets', 'Sheet', 'kind', m[1])}の作成画面"),
    (r"draft (\w+) v(\d+)", lambda m: f"{_choice_label('sheets', 'Sheet', 'kind', m[1])} 第{m[2]}版の下書き"),
    (r"revision of (\d+)", lambda m: f"連携シート {m[1]} の改訂"),
    (r"sent to ?(.*)", lambda m: f"送付先：{m[1]}"),
    (r"case study (.*)", lambda m: f"事例検討：{m[1]}"),
    (r"(api token )?wait=(\d+)s", lambda m: ("APIトークン " if m[1] else "") + f"試行制限（あと{m[2]}秒）"),
    (r"email=(.*)", lambda m: f"メールアドレス：{m[1]}"),
    (r"username=(.*)", lambda m: f"ユーザー名：{m[1]}"),
    (r"(\d+) in (\d+) s", lambda m: f"{m[2]}秒間に{m[1]}件"),
    (r"fields=(\S*) username=(.*)", lambda m: "入力不備の項目：" + _field_labels("core", "User", m[1].split(","))
                                            + f"（ユーザー名：{m[2]}）"),
    (r"as_of=(.*)", lambda m: f"基準日：{m[1]}"),
    (r"csv ?(.*)", lambda m: "CSV" + (f"（{m[1]}）" if m[1] else "")),
    (r"profession=(\w+) facility=(\(new\) )?(.*)", lambda m: f"職種：{_profession(m[1])} 事業所："
                                                           + (f"新規（{m[3]}）" if m[2] else m[3])),
    (r"approved_on=(\S+)( acts_for=(.*))?", lambda m: f"承認日：{m[1]}" + (f" 担当する市：{m[3]}" if m[3] else "")),
    (r"withdrawn_on=(.*)", lambda m: f"退会日：{m[1]}"),
    (r"facility=(\d+) user=(\d+)", lambda m: f"事業所 {m[1]}・アカウント {m[2]}"),
    (r"facility=(\d+) registered=(\d+) withdrawn=(\d+)", lambda m: f"事業所 {m[1]}：登録 {m[2]}名、退職 {m[3]}名"),
    (r"facility=(\d+) successor=(\d+|-) moved=(\d+) kept=(\d+) vacated=(\d+) cancelled=(\d+) sessions ended=(\d+)",
     lambda m: f"事業所 {m[1]}：後任 {m[2]}、チームの担当 引継ぎ{m[3]}件・後任が参加済み{m[4]}件・空き{m[5]}件、"
               f"招待の取消{m[6]}件、ログイン {m[7]}件を終了"),
    (r"facility=(\d+) invited", lambda m: f"事業所 {m[1]}：パスワード設定の案内を送信"),
    (r"handed over to (\d+)", lambda m: f"アカウント {m[1]} に引き継ぎ"),
    (r"took over from (\d+)", lambda m: f"アカウント {m[1]} から引き継ぎ"),
    (r"attempts=(\d+)", lambda m: f"ログイン失敗の記録 {m[1]}件を消去"),
    (r"tokens revoked=(\d+)( sessions ended=(\d+))?", lambda m: f"APIトークン {m[1]}件を失効"
                                                              + (f"、ログイン {m[3]}件を終了" if m[3] else "")),
    (r"(\S+) limit reached: (\d+) refused from (.*)", lambda m: f"{m[1]} 上限に達しました（{m[3]} から{m[2]}回拒否）"),
    (r"more refused tokens in this (\d+) s window not recorded", lambda m: f"この{m[1]}秒間のそれ以上の拒否は記録していません"),
    (r"backup: (\d+) rows, (\d+) files", lambda m: f"バックアップ：{m[1]}行、ファイル{m[2]}件"),
    (r"restored the backup of (.*)", lambda m: f"{m[1]} のバックアップを復元"),
    (r"(requested|accepted|declined|cancelled)", lambda m: _choice_label("sheets", "BackBedRequest", "status", m[1])),
    (r"conference (\w+) invited=(\d+)\+(\d+)", lambda m: f"{_choice_label('sheets', 'CaseConference', 'kind', m[1])}"
                                                          f"の予定（招待 {m[2]}名、Renkei 外 {m[3]}名）"),
    (r"conference answer (\w+)", lambda m: "カンファレンスへの回答："
                                           + _choice_label("sheets", "ConferenceAttendee", "answer", m[1])),
    (r"conference held actions=(\d+)", lambda m: f"カンファレンスの記録（宿題 {m[1]}件）"),
    (r"conference action (\d+) done", lambda m: f"カンファレンスの宿題 {m[1]} を完了"),
    (r"safety (\S+)( from sheet (\d+))?", lambda m: "アレルギー・禁忌・感染症の更新："
                                                  + _field_labels("sheets", "PatientSafety", m[1].split(","))
                                                  + (f"（連携シート {m[3]} から）" if m[3] else "")),
    (r"(/\S*) (.+)", lambda m: f"{m[1]}（{_words(m[2])}）"),
    (r"([a-z_]+)", lambda m: _code_label(m[1])),
]
_COMPILED_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (re.compile(pattern), label) for pattern, label in _DETAIL_RULES]


def detail_label(detail: str) -> str:
    """The detail of an audit row in Japanese (the stored text stays as recorded)."""
    detail = (detail or "").strip()
    if not detail or detail in DETAIL_LABELS:
        return DETAIL_LABELS.get(detail, detail)
    for pattern, label in _COMPILED_RULES:
        match = pattern.fullmatch(detail)
        if match:
            return label(match)
    return _words(detail)
