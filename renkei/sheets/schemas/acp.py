"""意思決定支援・ACP記録: wishes on treatment and place of care, the proxy, and — without relatives — the process."""
from .base import ContentForm, choice, day, flag, line, local, text

WISH = ["希望する", "希望しない", "未決定"]
PLACES = ["自宅", "介護施設", "病院", "緩和ケア病棟", "未定"]


class AcpContent(ContentForm):
    title = "意思決定支援・ACP（人生会議）記録"
    date_field = "discussed_on"
    fresh_fields = ("discussed_on", "participants", "review_on")  # about this event only: not carried over from the previous sheet

    discussed_on = day("話し合いの日", required=True, past=True)
    participants = text("話し合いの参加者（続柄・職種・氏名）", required=True, rows=2)
    capacity = choice("本人の意思表示", ["できる", "一部できる", "困難"], required=True)
    values = text("本人が大切にしていること・生き方の希望", rows=3)
    treatment_wishes = text("治療・ケアについての希望", rows=3)
    resuscitation = choice("心肺蘇生", WISH, required=True)
    ventilation = choice("人工呼吸器", WISH)
    tube_feeding = choice("胃ろう・経管栄養", WISH)
    hospital_transfer = choice("急変時の救急搬送・入院", WISH)
    place_of_care = choice("療養したい場所", PLACES)
    place_of_death = choice("最期を迎えたい場所", PLACES)
    proxy_name = line("代理意思決定者（氏名）")
    proxy_relationship = line("代理意思決定者（続柄・関係）")
    proxy_phone = line("代理意思決定者（連絡先）", max_length=30)
    no_relatives = flag("身寄りがない（意思決定を支える家族等がいない）")
    process_members = text("意思決定の過程に参加した者（職種・所属）", rows=2)
    will_estimation = text("本人の意思の推定方法（これまでの発言・記録・関係者の証言など）", rows=3)
    consensus = text("関係者で合意した内容", rows=3)
    review_on = day("次回見直しの予定日")
    notes = text("備考", rows=2)

    sections = [
        local("話し合い", ["discussed_on", "participants", "capacity", "values"], "discussion"),
        local("治療・ケアの希望", ["treatment_wishes", "resuscitation", "ventilation", "tube_feeding",
                                "hospital_transfer"], "treatment-wishes"),
        local("療養・最期の場所", ["place_of_care", "place_of_death"], "place"),
        local("代理意思決定者", ["proxy_name", "proxy_relationship", "proxy_phone"], "proxy"),
        local("身寄りのない方の意思決定の過程", ["no_relatives", "process_members", "will_estimation", "consensus"],
              "decision-process"),
        local("見直し", ["review_on", "notes"], "review"),
    ]

    def clean(self):
        data = super().clean()
        if data.get("no_relatives"):
            for name in ("process_members", "will_estimation", "consensus"):
                if not data.get(name):
                    self.add_error(name, "身寄りがない場合は、意思決定の過程（参加者・意思の推定方法・合意内容）を記録してください。")
        elif data.get("capacity") == "困難" and not data.get("proxy_name"):
            self.add_error("proxy_name", "本人の意思表示が困難な場合は、代理意思決定者を記録するか「身寄りがない」として過程を記録してください。")
        discussed, review = data.get("discussed_on"), data.get("review_on")
        if discussed and review and review < discussed:
            self.add_error("review_on", "見直しの予定日が話し合いの日より前になっています。")
        return data
