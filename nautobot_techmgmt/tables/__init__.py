"""List-view tables of every model."""

from nautobot_techmgmt.tables.activity import (
    CandidateDismissalTable,
    UserContactTable,
)
from nautobot_techmgmt.tables.capacity import (
    EffortModelTable,
)
from nautobot_techmgmt.tables.custodianship import (
    ResponsibilityTable,
)
from nautobot_techmgmt.tables.people import (
    AvailabilityAgreementTable,
    CertificationTable,
    ExpertCertificationTable,
    ExpertTable,
    SkillTable,
    TrainingPlanTable,
)
from nautobot_techmgmt.tables.register import (
    KnowledgeGapTable,
)
from nautobot_techmgmt.tables.suppliers import (
    SupplierTable,
    SupportContractTable,
)
from nautobot_techmgmt.tables.technology import (
    TechnologyScopeTable,
    TechnologyTable,
)

__all__ = (
    "AvailabilityAgreementTable",
    "CandidateDismissalTable",
    "CertificationTable",
    "EffortModelTable",
    "ExpertCertificationTable",
    "ExpertTable",
    "KnowledgeGapTable",
    "ResponsibilityTable",
    "SkillTable",
    "SupplierTable",
    "SupportContractTable",
    "TechnologyScopeTable",
    "TechnologyTable",
    "TrainingPlanTable",
    "UserContactTable",
)
