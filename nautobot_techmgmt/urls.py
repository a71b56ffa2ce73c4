"""UI routes, under /plugins/techmgmt/."""

from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView
from nautobot.apps.urls import NautobotUIViewSetRouter

from nautobot_techmgmt import models, views
from nautobot_techmgmt.views import assessors, candidates, knowledge, people

app_name = "nautobot_techmgmt"
router = NautobotUIViewSetRouter()
router.register("technologies", views.TechnologyUIViewSet)
router.register("technology-scopes", views.TechnologyScopeUIViewSet)
router.register("experts", views.ExpertUIViewSet)
router.register("skills", views.SkillUIViewSet)
router.register("certifications", views.CertificationUIViewSet)
router.register("expert-certifications", views.ExpertCertificationUIViewSet)
router.register("responsibilities", views.ResponsibilityUIViewSet)
router.register("availability-agreements", views.AvailabilityAgreementUIViewSet)
router.register("training-plans", views.TrainingPlanUIViewSet)
router.register("suppliers", views.SupplierUIViewSet)
router.register("support-contracts", views.SupportContractUIViewSet)
router.register("knowledge-gaps", views.KnowledgeGapUIViewSet)
router.register("user-mappings", views.UserContactUIViewSet)
router.register("candidate-dismissals", views.CandidateDismissalUIViewSet)

urlpatterns = [
    path("docs/", RedirectView.as_view(url=static("nautobot_techmgmt/docs/index.html")), name="docs"),
    path("dashboard/", knowledge.CoverageDashboardView.as_view(), name="coverage_dashboard"),
    path("skills-matrix/", knowledge.SkillsMatrixView.as_view(), name="skills_matrix"),
    path("what-if/", knowledge.WhatIfView.as_view(), name="what_if"),
    path("change-assessors/", assessors.ChangeAssessorsRunView.as_view(), name="change_assessors"),
    path("candidate-experts/", candidates.CandidatesView.as_view(), name="candidate_experts"),
    path("unmapped-users/", candidates.UnmappedUsersView.as_view(), name="unmapped_users"),
    path(
        "availability-agreements/<uuid:pk>/approval-workflow/",
        people.AgreementApprovalWorkflowView.as_view(),
        name="availabilityagreement_approvalworkflow",
        kwargs={"model": models.AvailabilityAgreement},
    ),
]
urlpatterns += router.urls
