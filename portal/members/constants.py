"""The vocabulary and the numbers of the qualification rules (SPEC section 1).

Every enum is a StrEnum (its value is what forms, the API and the database store) with a
lazily translated `.label`; the msgids are English and the Chinese term is in the comment
beside each, for the zh-CN catalogue. The thresholds come from chapter 03 of the
self-regulation code (reference/self-regulation-code.zh-Hant.txt) as SPEC section 1
restates them.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l

# --- thresholds --------------------------------------------------------------------------------

MIN_PREMISES_M2 = 200  # 检查场所面积不少于200平方米
MIN_EXAM_ROOMS = 4  # 独立检查室不少于4间 (examination institutions only)
EXPIRY_WARNING_DAYS = 60  # a validity ending within this many days is "expiring"
REMINDER_DAYS = (60, 30)  # reminders go out when a credential expires within 60, then 30 days
MIN_EXPERIENCE_YEARS = 2  # 2年以上相关工作经验
PRE_JOB_HOURS = 60  # 岗前培训不少于60学时, before the first assignment
CONTINUING_HOURS_PER_YEAR = 40  # 每年不少于40学时的继续教育


class _Labelled(enum.StrEnum):
    """A StrEnum whose members have a translated `.label` (looked up in `_LABELS`)."""

    @property
    def label(self) -> str:
        return str(_LABELS[type(self)][self])

    @classmethod
    def choices(cls) -> list[tuple[str, Any]]:
        """(value, lazy label) pairs in definition order, for WTForms SelectField choices."""
        return [(member.value, _LABELS[cls][member]) for member in cls]


# --- agencies and what they are approved for ---------------------------------------------------


class AgencyType(_Labelled):
    EXAMINATION = "examination"  # 职业健康检查机构
    HYGIENE_SERVICE = "hygiene_service"  # 职业卫生技术服务机构 (危害因素检测与评价)
    RISK_ASSESSMENT = "risk_assessment"  # 健康风险评估机构


class HazardCategory(_Labelled):
    """The hazard categories of an approved scope (资质范围)."""

    DUST = "dust"  # 粉尘
    CHEMICAL = "chemical"  # 化学因素
    PHYSICAL = "physical"  # 物理因素 (噪声及其他物理因素)
    RADIATION = "radiation"  # 放射因素
    BIOLOGICAL = "biological"  # 生物因素


class InstrumentKind(_Labelled):
    """Instruments an agency lists, each with a metrology calibration certificate (计量认证).

    The first group is used in health examinations, the second in workplace hazard
    detection. The list holds what the required-instrument table needs plus a few common
    ones an agency may list (they are tracked for calibration reminders).
    """

    # health examination (职业健康检查)
    X_RAY_MACHINE = "x_ray_machine"  # 数字化X射线摄影系统(DR), for 高千伏胸片/DR chest films
    SPIROMETER = "spirometer"  # 肺功能仪
    AUDIOMETER = "audiometer"  # 纯音听力计 (纯音测听)
    ECG_MACHINE = "ecg_machine"  # 心电图机
    HEMATOLOGY_ANALYZER = "hematology_analyzer"  # 血细胞分析仪 (血常规)
    BIOCHEMISTRY_ANALYZER = "biochemistry_analyzer"  # 生化分析仪 (肝功能等)
    SLIT_LAMP = "slit_lamp"  # 裂隙灯显微镜 (眼晶状体检查)
    # workplace hazard detection (危害因素检测)
    DUST_SAMPLER = "dust_sampler"  # 粉尘采样器
    AIR_SAMPLER = "air_sampler"  # 空气采样器 (有毒物质采样)
    GAS_DETECTOR = "gas_detector"  # 有毒有害气体检测仪
    SOUND_LEVEL_METER = "sound_level_meter"  # 声级计
    HEAT_STRESS_METER = "heat_stress_meter"  # WBGT指数仪 (高温)
    VIBRATION_METER = "vibration_meter"  # 振动测量仪
    RADIATION_METER = "radiation_meter"  # X-γ辐射剂量率仪
    BIOAEROSOL_SAMPLER = "bioaerosol_sampler"  # 微生物气溶胶采样器


class QualityDocument(_Labelled):
    """The three tiers of the quality system (三级质量管理体系文件)."""

    QUALITY_MANUAL = "quality_manual"  # 质量手册
    PROCEDURE_DOCUMENTS = "procedure_documents"  # 程序文件
    WORK_INSTRUCTIONS = "work_instructions"  # 作业指导书


class StaffRole(_Labelled):
    PHYSICIAN = "physician"  # 职业健康医师
    HYGIENE_TESTER = "hygiene_tester"  # 职业卫生检测人员
    HEALTH_PROMOTION = "health_promotion"  # 健康促进专员


class StaffCertificate(_Labelled):
    """Codes of the certificates a professional holds (`StaffInput.certificates`)."""

    PRACTISING_PHYSICIAN_LICENCE = "practising_physician_licence"  # 执业医师资格
    INTERMEDIATE_TITLE_PREVENTIVE_OR_CLINICAL = (
        "intermediate_title_preventive_or_clinical"  # 预防医学或临床医学中级以上职称
    )
    CHIEF_EXAMINING_PHYSICIAN_CERTIFICATE = (
        "chief_examining_physician_certificate"  # 职业健康检查主检医师资格证
    )
    COLLEGE_DIPLOMA_RELATED_FIELD = "college_diploma_related_field"  # 相关专业大专以上学历
    PROVINCIAL_TRAINING_CERTIFICATE = (
        "provincial_training_certificate"  # 省级以上卫生健康部门培训考核合格证明
    )
    HEALTH_MANAGER_CERTIFICATE = "health_manager_certificate"  # 健康管理师
    PSYCHOLOGICAL_COUNSELLOR_CERTIFICATE = "psychological_counsellor_certificate"  # 心理咨询师


AGENCY_TYPE_LABELS = {
    AgencyType.EXAMINATION: _l("Occupational health examination institution"),
    AgencyType.HYGIENE_SERVICE: _l("Occupational hygiene technical service institution"),
    AgencyType.RISK_ASSESSMENT: _l("Health risk assessment institution"),
}

HAZARD_CATEGORY_LABELS = {
    HazardCategory.DUST: _l("Dust"),
    HazardCategory.CHEMICAL: _l("Chemical factors"),
    HazardCategory.PHYSICAL: _l("Noise and other physical factors"),
    HazardCategory.RADIATION: _l("Radiation"),
    HazardCategory.BIOLOGICAL: _l("Biological factors"),
}

INSTRUMENT_LABELS = {
    InstrumentKind.X_RAY_MACHINE: _l("Digital radiography (DR) X-ray machine"),
    InstrumentKind.SPIROMETER: _l("Spirometer"),
    InstrumentKind.AUDIOMETER: _l("Pure-tone audiometer"),
    InstrumentKind.ECG_MACHINE: _l("Electrocardiograph"),
    InstrumentKind.HEMATOLOGY_ANALYZER: _l("Haematology analyser"),
    InstrumentKind.BIOCHEMISTRY_ANALYZER: _l("Biochemistry analyser"),
    InstrumentKind.SLIT_LAMP: _l("Slit lamp microscope"),
    InstrumentKind.DUST_SAMPLER: _l("Dust sampler"),
    InstrumentKind.AIR_SAMPLER: _l("Air sampler"),
    InstrumentKind.GAS_DETECTOR: _l("Toxic gas detector"),
    InstrumentKind.SOUND_LEVEL_METER: _l("Sound level meter"),
    InstrumentKind.HEAT_STRESS_METER: _l("WBGT heat stress meter"),
    InstrumentKind.VIBRATION_METER: _l("Vibration meter"),
    InstrumentKind.RADIATION_METER: _l("X-gamma radiation dose rate meter"),
    InstrumentKind.BIOAEROSOL_SAMPLER: _l("Bioaerosol sampler"),
}

QUALITY_DOCUMENT_LABELS = {
    QualityDocument.QUALITY_MANUAL: _l("Quality Manual"),
    QualityDocument.PROCEDURE_DOCUMENTS: _l("Procedure Documents"),
    QualityDocument.WORK_INSTRUCTIONS: _l("Work Instructions"),
}

STAFF_ROLE_LABELS = {
    StaffRole.PHYSICIAN: _l("Occupational health physician"),
    StaffRole.HYGIENE_TESTER: _l("Occupational hygiene testing staff"),
    StaffRole.HEALTH_PROMOTION: _l("Health promotion specialist"),
}

STAFF_CERTIFICATE_LABELS = {
    StaffCertificate.PRACTISING_PHYSICIAN_LICENCE: _l("Practising physician licence"),
    StaffCertificate.INTERMEDIATE_TITLE_PREVENTIVE_OR_CLINICAL: _l(
        "Intermediate or higher title in preventive or clinical medicine"
    ),
    StaffCertificate.CHIEF_EXAMINING_PHYSICIAN_CERTIFICATE: _l(
        "Chief examining physician certificate"
    ),
    StaffCertificate.COLLEGE_DIPLOMA_RELATED_FIELD: _l(
        "College diploma or above in a related field"
    ),
    StaffCertificate.PROVINCIAL_TRAINING_CERTIFICATE: _l("Provincial training certificate"),
    StaffCertificate.HEALTH_MANAGER_CERTIFICATE: _l("Health manager certificate"),
    StaffCertificate.PSYCHOLOGICAL_COUNSELLOR_CERTIFICATE: _l(
        "Psychological counsellor certificate"
    ),
}

_LABELS: dict[type, Mapping[Any, Any]] = {
    AgencyType: AGENCY_TYPE_LABELS,
    HazardCategory: HAZARD_CATEGORY_LABELS,
    InstrumentKind: INSTRUMENT_LABELS,
    QualityDocument: QUALITY_DOCUMENT_LABELS,
    StaffRole: STAFF_ROLE_LABELS,
    StaffCertificate: STAFF_CERTIFICATE_LABELS,
}

# --- staff -------------------------------------------------------------------------------------

# What each role must hold: every group must be met by at least one certificate in it
# (a group of one is a plain requirement, a larger group a choice).
REQUIRED_CERTIFICATES: Mapping[StaffRole, tuple[frozenset[StaffCertificate], ...]] = {
    StaffRole.PHYSICIAN: (
        frozenset({StaffCertificate.PRACTISING_PHYSICIAN_LICENCE}),
        frozenset({StaffCertificate.INTERMEDIATE_TITLE_PREVENTIVE_OR_CLINICAL}),
        frozenset({StaffCertificate.CHIEF_EXAMINING_PHYSICIAN_CERTIFICATE}),
    ),
    StaffRole.HYGIENE_TESTER: (
        frozenset({StaffCertificate.COLLEGE_DIPLOMA_RELATED_FIELD}),
        frozenset({StaffCertificate.PROVINCIAL_TRAINING_CERTIFICATE}),
    ),
    StaffRole.HEALTH_PROMOTION: (
        frozenset(
            {
                StaffCertificate.HEALTH_MANAGER_CERTIFICATE,
                StaffCertificate.PSYCHOLOGICAL_COUNSELLOR_CERTIFICATE,
            }
        ),
    ),
}

# The professionals each agency type must employ (at least one compliant person per role).
# Assumption: the code names the roles but not which agency needs which; each type needs the
# role that does its core work.
ROLES_NEEDED: Mapping[AgencyType, frozenset[StaffRole]] = {
    AgencyType.EXAMINATION: frozenset({StaffRole.PHYSICIAN}),
    AgencyType.HYGIENE_SERVICE: frozenset({StaffRole.HYGIENE_TESTER}),
    AgencyType.RISK_ASSESSMENT: frozenset({StaffRole.HEALTH_PROMOTION}),
}

# --- required instruments ----------------------------------------------------------------------
#
# Policy table, adjustable by the association. Sources and assumptions:
# - The code (chapter 03, 场地与设备要求) names only "粉尘采样器、声级计、肺功能仪等" and requires
#   every instrument to pass metrology certification (计量认证).
# - Examination institutions: the code requires "接触粉尘者必须高千伏胸片、肺功能检查" (DR
#   chest film and spirometry for dust), "接触噪声者需查听力、纯音测听" (an audiometer for
#   noise, i.e. the physical scope) and, in every pre-job examination, laboratory tests
#   "血常规、肝功能" plus the general/internal examination, hence a haematology analyser, a
#   biochemistry analyser and an electrocardiograph for every examination institution.
#   Radiation workers need an eye-lens examination (GBZ 98), hence a slit lamp. Chemical and
#   biological scopes add laboratory tests only, which the base instruments cover.
# - Hygiene technical service institutions (detection): a dust sampler for dust; an air
#   sampler (GBZ 159 sampling) and a toxic gas detector for chemical factors; a sound level
#   meter for noise and other physical factors (other physical meters, such as WBGT or
#   vibration, are not required: many agencies are approved for noise only); a radiation
#   dose rate meter for radiation; a bioaerosol sampler for biological factors.
# - Health risk assessment institutions: the code names no instrument for them, so none is
#   required.

BASE_INSTRUMENTS: Mapping[AgencyType, frozenset[InstrumentKind]] = {
    AgencyType.EXAMINATION: frozenset(
        {
            InstrumentKind.ECG_MACHINE,
            InstrumentKind.HEMATOLOGY_ANALYZER,
            InstrumentKind.BIOCHEMISTRY_ANALYZER,
        }
    ),
    AgencyType.HYGIENE_SERVICE: frozenset(),
    AgencyType.RISK_ASSESSMENT: frozenset(),
}

REQUIRED_INSTRUMENTS: Mapping[AgencyType, Mapping[HazardCategory, frozenset[InstrumentKind]]] = {
    AgencyType.EXAMINATION: {
        HazardCategory.DUST: frozenset({InstrumentKind.X_RAY_MACHINE, InstrumentKind.SPIROMETER}),
        HazardCategory.CHEMICAL: frozenset(),
        HazardCategory.PHYSICAL: frozenset({InstrumentKind.AUDIOMETER}),
        HazardCategory.RADIATION: frozenset({InstrumentKind.SLIT_LAMP}),
        HazardCategory.BIOLOGICAL: frozenset(),
    },
    AgencyType.HYGIENE_SERVICE: {
        HazardCategory.DUST: frozenset({InstrumentKind.DUST_SAMPLER}),
        HazardCategory.CHEMICAL: frozenset(
            {
                InstrumentKind.AIR_SAMPLER,
                InstrumentKind.GAS_DETECTOR,
            }
        ),
        HazardCategory.PHYSICAL: frozenset({InstrumentKind.SOUND_LEVEL_METER}),
        HazardCategory.RADIATION: frozenset({InstrumentKind.RADIATION_METER}),
        HazardCategory.BIOLOGICAL: frozenset({InstrumentKind.BIOAEROSOL_SAMPLER}),
    },
    AgencyType.RISK_ASSESSMENT: {category: frozenset() for category in HazardCategory},
}


def required_instruments(
    agency_type: AgencyType, scope: Iterable[HazardCategory]
) -> dict[InstrumentKind, frozenset[HazardCategory]]:
    """The instruments an agency of `agency_type` approved for `scope` must have.

    Maps each instrument kind to the hazard categories of the scope that need it; an empty
    set means every agency of the type needs it. Ordered as InstrumentKind is.
    """
    needed: dict[InstrumentKind, set[HazardCategory]] = {
        kind: set() for kind in BASE_INSTRUMENTS.get(agency_type, frozenset())
    }
    by_category = REQUIRED_INSTRUMENTS.get(agency_type, {})
    for category in scope:
        for kind in by_category.get(category, frozenset()):
            reasons = needed.setdefault(kind, set())
            if kind not in BASE_INSTRUMENTS.get(agency_type, frozenset()):
                reasons.add(category)
    return {kind: frozenset(needed[kind]) for kind in InstrumentKind if kind in needed}
