"""Data model of the technical-management app."""

from nautobot_techmgmt.models.activity import (
    CandidateDismissal,
    RetiredObjectTechnology,
    TechnologyActivity,
    UserContact,
)
from nautobot_techmgmt.models.capacity import EffortModel
from nautobot_techmgmt.models.coverage import CoverageSnapshot, CustodianCoverage, KnowledgeRefresh, ObjectKnowledge
from nautobot_techmgmt.models.custodianship import Responsibility
from nautobot_techmgmt.models.people import (
    AvailabilityAgreement,
    Certification,
    Expert,
    ExpertCertification,
    Skill,
    TrainingPlan,
)
from nautobot_techmgmt.models.register import KnowledgeGap
from nautobot_techmgmt.models.state import (
    KnowledgeLock,
    PendingChange,
    QualifiedExpert,
    RoleSet,
    RoleSetEntry,
    TechnologyKnowledge,
)
from nautobot_techmgmt.models.suppliers import Supplier, SupportContract
from nautobot_techmgmt.models.technology import Technology, TechnologyScope

__all__ = (
    "CandidateDismissal",
    "RetiredObjectTechnology",
    "TechnologyActivity",
    "UserContact",
    "AvailabilityAgreement",
    "Certification",
    "CoverageSnapshot",
    "CustodianCoverage",
    "EffortModel",
    "Expert",
    "ExpertCertification",
    "KnowledgeGap",
    "KnowledgeLock",
    "KnowledgeRefresh",
    "ObjectKnowledge",
    "PendingChange",
    "QualifiedExpert",
    "Responsibility",
    "RoleSet",
    "RoleSetEntry",
    "Skill",
    "Supplier",
    "SupportContract",
    "Technology",
    "TechnologyKnowledge",
    "TechnologyScope",
    "TrainingPlan",
)
