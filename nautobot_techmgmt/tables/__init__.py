"""List-view tables of every model."""

from nautobot_techmgmt.tables.technology import (
    TechnologyTable,
    TechnologyScopeTable,
)
from nautobot_techmgmt.tables.people import (
    ExpertTable,
    SkillTable,
    CertificationTable,
    ExpertCertificationTable,
    AvailabilityAgreementTable,
    TrainingPlanTable,
)
from nautobot_techmgmt.tables.custodianship import (
    ResponsibilityTable,
)
from nautobot_techmgmt.tables.suppliers import (
    SupplierTable,
    SupportContractTable,
)

__all__ = (
    "AvailabilityAgreementTable",
    "CertificationTable",
    "ExpertCertificationTable",
    "ExpertTable",
    "ResponsibilityTable",
    "SkillTable",
    "SupplierTable",
    "SupportContractTable",
    "TechnologyScopeTable",
    "TechnologyTable",
    "TrainingPlanTable",
)
