"""REST API routes, under /api/plugins/techmgmt/."""

from nautobot.apps.api import OrderedDefaultRouter

from nautobot_techmgmt.api import views

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

app_name = "nautobot_techmgmt-api"
urlpatterns = router.urls
