"""REST API routes, under /api/plugins/techmgmt/."""

from django.urls import path
from nautobot.apps.api import OrderedDefaultRouter

from nautobot_techmgmt.api import capacity, knowledge, views

router = OrderedDefaultRouter()
router.register("technologies", views.TechnologyViewSet)
router.register("technology-scopes", views.TechnologyScopeViewSet)
router.register("experts", views.ExpertViewSet)
router.register("skills", views.SkillViewSet)
router.register("certifications", views.CertificationViewSet)
router.register("expert-certifications", views.ExpertCertificationViewSet)
router.register("responsibilities", views.ResponsibilityViewSet)
router.register("availability-agreements", views.AvailabilityAgreementViewSet)
router.register("training-plans", views.TrainingPlanViewSet)
router.register("suppliers", views.SupplierViewSet)
router.register("support-contracts", views.SupportContractViewSet)
router.register("effort-models", views.EffortModelViewSet)
router.register("knowledge-gaps", views.KnowledgeGapViewSet)
router.register("user-mappings", views.UserContactViewSet)
router.register("candidate-dismissals", views.CandidateDismissalViewSet)
router.register("activity", views.TechnologyActivityViewSet)

app_name = "nautobot_techmgmt-api"
urlpatterns = [
    path("coverage/technologies/", knowledge.CoverageTechnologiesView.as_view(), name="coverage-technologies"),
    path("coverage/objects/<str:model>/<uuid:pk>/", knowledge.CoverageObjectView.as_view(), name="coverage-object"),
    path("gaps/", knowledge.GapsView.as_view(), name="gaps"),
    path("assessors/", knowledge.AssessorsView.as_view(), name="assessors"),
    path("what-if/", knowledge.WhatIfView.as_view(), name="what-if"),
    path("truck-factor/", knowledge.TruckFactorView.as_view(), name="truck-factor"),
    path("candidates/", knowledge.CandidatesView.as_view(), name="candidates"),
    path("fading-skills/", knowledge.FadingSkillsView.as_view(), name="fading-skills"),
    path("capacity/technologies/", capacity.CapacityTechnologiesView.as_view(), name="capacity-technologies"),
    path("capacity/experts/", capacity.CapacityExpertsView.as_view(), name="capacity-experts"),
    path("capacity/teams/", capacity.CapacityTeamsView.as_view(), name="capacity-teams"),
    path("capacity/line-managers/", capacity.CapacityLineManagersView.as_view(), name="capacity-line-managers"),
    path("make-or-buy/<uuid:pk>/", capacity.MakeOrBuyView.as_view(), name="make-or-buy"),
]
urlpatterns += router.urls
