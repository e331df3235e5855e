"""The directory's fixed vocabularies: capabilities users search by, 介護サービス codes, marker colours."""
from renkei.core.models import FacilityKind

# code: (label, group). The groups order the checkboxes on the edit form and the detail page.
CAPABILITIES = {
    "home_visit": ("訪問診療", "在宅医療"),
    "house_call": ("往診", "在宅医療"),
    "end_of_life": ("看取り", "在宅医療"),
    "around_the_clock": ("24時間対応", "在宅医療"),
    "home_care_support": ("在宅療養支援診療所・病院", "在宅医療"),
    "dental_home_visit": ("訪問歯科診療", "在宅医療"),
    "pharmacy_home_visit": ("在宅訪問薬剤管理", "在宅医療"),
    "dementia": ("認知症への対応", "在宅医療"),
    "rehab_outpatient": ("外来リハビリテーション", "リハビリテーション"),
    "rehab_visiting": ("訪問リハビリテーション", "リハビリテーション"),
    "rehab_day": ("通所リハビリテーション", "リハビリテーション"),
    "rehab_cerebrovascular": ("脳血管疾患等", "リハビリ対象疾患"),
    "rehab_musculoskeletal": ("運動器", "リハビリ対象疾患"),
    "rehab_respiratory": ("呼吸器", "リハビリ対象疾患"),
    "rehab_cardiovascular": ("心大血管疾患", "リハビリ対象疾患"),
    "rehab_disuse": ("廃用症候群", "リハビリ対象疾患"),
}

CAPABILITY_CHOICES = [(code, label) for code, (label, _group) in CAPABILITIES.items()]


def capability_label(code):
    return CAPABILITIES.get(code, (code, ""))[0]


# 介護サービス情報公表システム service codes (jigyosho_<code>.csv) → (facility kind, service name).
KAIGO_SERVICES = {
    "110": (FacilityKind.HOME_HELP, "訪問介護"),
    "120": (FacilityKind.VISITING_BATH, "訪問入浴介護"),
    "130": (FacilityKind.VISITING_NURSING, "訪問看護"),
    "140": (FacilityKind.VISITING_REHAB, "訪問リハビリテーション"),
    "150": (FacilityKind.DAY_CARE, "通所介護"),
    "155": (FacilityKind.DAY_CARE, "療養通所介護"),
    "160": (FacilityKind.DAY_REHAB, "通所リハビリテーション"),
    "170": (FacilityKind.OTHER, "福祉用具貸与"),
    "210": (FacilityKind.SHORT_STAY, "短期入所生活介護"),
    "220": (FacilityKind.SHORT_STAY, "短期入所療養介護（介護老人保健施設）"),
    "230": (FacilityKind.SHORT_STAY, "短期入所療養介護（介護療養型医療施設）"),
    "551": (FacilityKind.SHORT_STAY, "短期入所療養介護（介護医療院）"),
    "320": (FacilityKind.GROUP_HOME, "認知症対応型共同生活介護"),
    "331": (FacilityKind.OTHER, "特定施設入居者生活介護（有料老人ホーム）"),
    "332": (FacilityKind.OTHER, "特定施設入居者生活介護（軽費老人ホーム）"),
    "334": (FacilityKind.OTHER, "特定施設入居者生活介護（有料老人ホーム・サービス付き高齢者向け住宅）"),
    "335": (FacilityKind.OTHER, "特定施設入居者生活介護（有料老人ホーム・外部サービス利用型）"),
    "336": (FacilityKind.OTHER, "特定施設入居者生活介護（軽費老人ホーム・外部サービス利用型）"),
    "337": (FacilityKind.OTHER, "特定施設入居者生活介護（サービス付き高齢者向け住宅・外部サービス利用型）"),
    "361": (FacilityKind.OTHER, "地域密着型特定施設入居者生活介護（有料老人ホーム）"),
    "362": (FacilityKind.OTHER, "地域密着型特定施設入居者生活介護（軽費老人ホーム）"),
    "364": (FacilityKind.OTHER, "地域密着型特定施設入居者生活介護（サービス付き高齢者向け住宅）"),
    "410": (FacilityKind.OTHER, "特定福祉用具販売"),
    "430": (FacilityKind.CARE_MANAGEMENT, "居宅介護支援"),
    "510": (FacilityKind.NURSING_HOME, "介護老人福祉施設"),
    "520": (FacilityKind.HEALTH_FACILITY, "介護老人保健施設"),
    "530": (FacilityKind.CARE_MEDICAL, "介護療養型医療施設"),
    "540": (FacilityKind.NURSING_HOME, "地域密着型介護老人福祉施設入所者生活介護"),
    "550": (FacilityKind.CARE_MEDICAL, "介護医療院"),
    "710": (FacilityKind.HOME_HELP, "夜間対応型訪問介護"),
    "720": (FacilityKind.DAY_CARE, "認知症対応型通所介護"),
    "730": (FacilityKind.SMALL_MULTI, "小規模多機能型居宅介護"),
    "760": (FacilityKind.PATROL_NURSING, "定期巡回・随時対応型訪問介護看護"),
    "770": (FacilityKind.SMALL_MULTI, "看護小規模多機能型居宅介護"),
    "780": (FacilityKind.COMMUNITY_DAY_CARE, "地域密着型通所介護"),
}

# 医療情報ネット 機関区分 → kind.
IRYO_KINDS = {"1": FacilityKind.HOSPITAL, "2": FacilityKind.CLINIC, "3": FacilityKind.DENTAL,
              "5": FacilityKind.PHARMACY}

# Kinds with beds or places whose vacancies users look for.
RESIDENTIAL_OR_DAY_KINDS = {
    FacilityKind.NURSING_HOME, FacilityKind.HEALTH_FACILITY, FacilityKind.CARE_MEDICAL, FacilityKind.GROUP_HOME,
    FacilityKind.SHORT_STAY, FacilityKind.SMALL_MULTI, FacilityKind.DAY_CARE, FacilityKind.COMMUNITY_DAY_CARE,
    FacilityKind.DAY_REHAB,
}

# Marker colours on the map, one per group of kinds (colour-blind friendly palette).
KIND_COLOURS = {
    FacilityKind.HOSPITAL: "#d62728",
    FacilityKind.CLINIC: "#1f77b4",
    FacilityKind.HOME_CARE_CLINIC: "#1f77b4",
    FacilityKind.DENTAL: "#17becf",
    FacilityKind.PHARMACY: "#2ca02c",
    FacilityKind.VISITING_NURSING: "#e377c2",
    FacilityKind.CARE_MANAGEMENT: "#9467bd",
    FacilityKind.VISITING_REHAB: "#ff7f0e",
    FacilityKind.DAY_REHAB: "#ff7f0e",
}
DEFAULT_COLOUR = "#7f7f7f"


def kind_colour(kind):
    return KIND_COLOURS.get(kind, DEFAULT_COLOUR)


def kind_label(kind):
    try:
        return FacilityKind(kind).label
    except ValueError:
        return kind
