"""Filter sets of every model (UI filter forms, REST and GraphQL filter arguments)."""

from nautobot_techmgmt.filters.activity import (
    CandidateDismissalFilterSet,
    TechnologyActivityFilterSet,
    UserContactFilterSet,
)
from nautobot_techmgmt.filters.capacity import (
    EffortModelFilterSet,
)
from nautobot_techmgmt.filters.custodianship import (
    ResponsibilityFilterSet,
)
from nautobot_techmgmt.filters.people import (
    AvailabilityAgreementFilterSet,
    CertificationFilterSet,
    ExpertCertificationFilterSet,
    ExpertFilterSet,
    SkillFilterSet,
    TrainingPlanFilterSet,
)
from nautobot_techmgmt.filters.register import (
    KnowledgeGapFilterSet,
)
from nautobot_techmgmt.filters.suppliers import (
    SupplierFilterSet,
    SupportContractFilterSet,
)
from nautobot_techmgmt.filters.technology import (
    KnowledgeTechnologyFilterSet,
    TechnologyFilterSet,
    TechnologyScopeFilterSet,
)

__all__ = (
    "AvailabilityAgreementFilterSet",
    "CandidateDismissalFilterSet",
    "CertificationFilterSet",
    "EffortModelFilterSet",
    "ExpertCertificationFilterSet",
    "ExpertFilterSet",
    "KnowledgeGapFilterSet",
    "KnowledgeTechnologyFilterSet",
    "ResponsibilityFilterSet",
    "SkillFilterSet",
    "SupplierFilterSet",
    "SupportContractFilterSet",
    "TechnologyActivityFilterSet",
    "TechnologyFilterSet",
    "TechnologyScopeFilterSet",
    "TrainingPlanFilterSet",
    "UserContactFilterSet",
)
