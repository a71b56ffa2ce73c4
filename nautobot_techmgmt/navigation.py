"""The "Technical Management" menu tab."""

from nautobot.apps.ui import (
    NavigationIconChoices,
    NavigationWeightChoices,
    NavMenuAddButton,
    NavMenuGroup,
    NavMenuItem,
    NavMenuTab,
)

from nautobot_techmgmt.knowledge import activity


def _item(model_name, label, weight):
    """A menu entry with an add button, both guarded by the model's permissions."""
    return NavMenuItem(
        link=f"plugins:nautobot_techmgmt:{model_name}_list",
        name=label,
        weight=weight,
        permissions=[f"nautobot_techmgmt.view_{model_name}"],
        buttons=(
            NavMenuAddButton(
                link=f"plugins:nautobot_techmgmt:{model_name}_add",
                permissions=[f"nautobot_techmgmt.add_{model_name}"],
            ),
        ),
    )


# The settings are read once, when the app loads its menu: with the feature off its pages are not found.
CANDIDATE_ITEMS = (
    (
        NavMenuItem(
            link="plugins:nautobot_techmgmt:candidate_experts",
            name="Candidate Experts",
            weight=500,
            permissions=["nautobot_techmgmt.view_technologyactivity"],
        ),
        NavMenuItem(
            link="plugins:nautobot_techmgmt:unmapped_users",
            name="Unmapped Users",
            weight=600,
            permissions=["users.view_user"],
        ),
        _item("usercontact", "User Mappings", 700),
        _item("candidatedismissal", "Dismissed Candidates", 800),
    )
    if activity.enabled()
    else ()
)

menu_items = (
    NavMenuTab(
        name="Technical Management",
        icon=NavigationIconChoices.ORGANIZATION,
        weight=NavigationWeightChoices.ORGANIZATION + 50,
        groups=(
            NavMenuGroup(
                name="Coverage",
                weight=50,
                items=(
                    NavMenuItem(
                        link="plugins:nautobot_techmgmt:coverage_dashboard",
                        name="Dashboard",
                        weight=100,
                        permissions=["nautobot_techmgmt.view_technology"],
                    ),
                    # No add button: the knowledge engine opens and closes gap records.
                    NavMenuItem(
                        link="plugins:nautobot_techmgmt:knowledgegap_list",
                        name="Knowledge Gaps",
                        weight=150,
                        permissions=["nautobot_techmgmt.view_knowledgegap"],
                    ),
                    NavMenuItem(
                        link="plugins:nautobot_techmgmt:skills_matrix",
                        name="Skills Matrix",
                        weight=200,
                        permissions=["nautobot_techmgmt.view_technology"],
                    ),
                    NavMenuItem(
                        link="plugins:nautobot_techmgmt:what_if",
                        name="What-if",
                        weight=300,
                        permissions=["nautobot_techmgmt.view_technology", "nautobot_techmgmt.view_expert"],
                    ),
                ),
            ),
            NavMenuGroup(
                name="Capacity",
                weight=75,
                items=(
                    NavMenuItem(
                        link="plugins:nautobot_techmgmt:capacity",
                        name="Expert Hours",
                        weight=100,
                        permissions=["nautobot_techmgmt.view_technology"],
                    ),
                    _item("effortmodel", "Effort Models", 200),
                ),
            ),
            NavMenuGroup(
                name="Knowledge",
                weight=100,
                items=(
                    _item("technology", "Technologies", 100),
                    _item("technologyscope", "Technology Scopes", 200),
                    _item("skill", "Skills", 300),
                    _item("trainingplan", "Training Plans", 400),
                ),
            ),
            NavMenuGroup(
                name="People",
                weight=200,
                items=(
                    _item("expert", "Experts", 100),
                    _item("certification", "Certifications", 200),
                    _item("expertcertification", "Certifications Held", 300),
                    _item("availabilityagreement", "Availability Agreements", 400),
                    *CANDIDATE_ITEMS,
                ),
            ),
            NavMenuGroup(
                name="Custodianship",
                weight=300,
                items=(_item("responsibility", "Responsibilities", 100),),
            ),
            NavMenuGroup(
                name="Suppliers",
                weight=400,
                items=(
                    _item("supplier", "Suppliers", 100),
                    _item("supportcontract", "Support Contracts", 200),
                ),
            ),
        ),
    ),
)
