"""UI viewsets of every model: list, detail, add/edit, delete, bulk, import and export."""

from nautobot_techmgmt.views.activity import (
    CandidateDismissalUIViewSet,
    UserContactUIViewSet,
)
from nautobot_techmgmt.views.custodianship import (
    ResponsibilityUIViewSet,
)
from nautobot_techmgmt.views.effort import (
    EffortModelUIViewSet,
)
from nautobot_techmgmt.views.people import (
    AvailabilityAgreementUIViewSet,
    CertificationUIViewSet,
    ExpertCertificationUIViewSet,
    ExpertUIViewSet,
    SkillUIViewSet,
    TrainingPlanUIViewSet,
)
from nautobot_techmgmt.views.register import (
    KnowledgeGapUIViewSet,
)
from nautobot_techmgmt.views.suppliers import (
    SupplierUIViewSet,
    SupportContractUIViewSet,
)
from nautobot_techmgmt.views.technology import (
    TechnologyScopeUIViewSet,
    TechnologyUIViewSet,
)

__all__ = (
    "AvailabilityAgreementUIViewSet",
    "CandidateDismissalUIViewSet",
    "CertificationUIViewSet",
    "EffortModelUIViewSet",
    "ExpertCertificationUIViewSet",
    "ExpertUIViewSet",
    "KnowledgeGapUIViewSet",
    "ResponsibilityUIViewSet",
    "SkillUIViewSet",
    "SupplierUIViewSet",
    "SupportContractUIViewSet",
    "TechnologyScopeUIViewSet",
    "TechnologyUIViewSet",
    "TrainingPlanUIViewSet",
    "UserContactUIViewSet",
)
