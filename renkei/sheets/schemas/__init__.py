"""Content schemas: one Django form per sheet kind, and per stage of the route kinds."""
from renkei.sheets import rules

from .acp import AcpContent
from .admission import AdmissionContent
from .dementia import DementiaContent
from .discharge import DischargeContent
from .nursing_info import NursingInfoContent
from .stages import (
    FamilyDoctorForm,
    MemoryDoctorForm,
    SpecialistForm,
    StrokeAcuteForm,
    StrokeMaintenanceForm,
    StrokeOutcomeForm,
    StrokeRecoveryForm,
)
from .stroke import StrokeContent

CONTENT_FORMS = {
    "admission": AdmissionContent,
    "discharge": DischargeContent,
    "nursing_info": NursingInfoContent,
    "stroke": StrokeContent,
    "dementia": DementiaContent,
    "acp": AcpContent,
}

ROUTES = {"stroke": rules.STROKE_ROUTE, "dementia": rules.DEMENTIA_ROUTE}

STAGE_FORMS = {
    "acute": StrokeAcuteForm,
    "recovery": StrokeRecoveryForm,
    "maintenance": StrokeMaintenanceForm,
    "outcome": StrokeOutcomeForm,
    "memory_doctor": MemoryDoctorForm,
    "specialist": SpecialistForm,
    "family_doctor": FamilyDoctorForm,
}
