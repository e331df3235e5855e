"""Attribution lines the directory shows wherever its data is shown or exported."""

ATTRIBUTION = [
    "出典：厚生労働省 医療情報ネットのオープンデータ（2025年6月1日時点）を加工して作成",
    "出典：厚生労働省 介護サービス情報公表システム オープンデータを加工して作成",
    "町丁目の位置（駅・市役所は所在する町丁目の代表点）：「Geolonia 住所データ」（CC BY 4.0）を加工して作成",
    "「（架空）」で始まる事業所はデモ用の架空のデータです。",
]
