"""The knowledge engine: plain Python over querysets, called by every surface (UI, REST, GraphQL, Jobs)."""

from nautobot_techmgmt.knowledge.capacity import CapacityPlan
from nautobot_techmgmt.knowledge.config import app_setting
from nautobot_techmgmt.knowledge.custodians import Custodian
from nautobot_techmgmt.knowledge.engine import Knowledge
from nautobot_techmgmt.knowledge.gaps import GAP_KINDS, SEVERITIES, Gap
from nautobot_techmgmt.knowledge.inventory import technology_ids_on
from nautobot_techmgmt.knowledge.scenarios import WhatIf, truck_factor, what_if
from nautobot_techmgmt.object_types import OBJECT_TYPES

__all__ = (
    "GAP_KINDS",
    "OBJECT_TYPES",
    "SEVERITIES",
    "CapacityPlan",
    "Custodian",
    "Gap",
    "Knowledge",
    "WhatIf",
    "app_setting",
    "technology_ids_on",
    "truck_factor",
    "what_if",
)
