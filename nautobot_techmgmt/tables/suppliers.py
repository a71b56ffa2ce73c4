"""Tables of suppliers and support contracts."""

import django_tables2 as tables
from nautobot.apps.tables import BaseTable, ButtonsColumn, LinkedCountColumn, TagColumn, ToggleColumn

from nautobot_techmgmt.models import Supplier, SupportContract


class SupplierTable(BaseTable):
    """Suppliers of external expertise."""

    pk = ToggleColumn()
    name = tables.Column(linkify=True)
    email = tables.EmailColumn()
    url = tables.URLColumn()
    support_contract_count = LinkedCountColumn(
        viewname="plugins:nautobot_techmgmt:supportcontract_list",
        url_params={"supplier": "pk"},
        verbose_name="Support contracts",
    )
    tags = TagColumn(url_name="plugins:nautobot_techmgmt:supplier_list")
    actions = ButtonsColumn(Supplier)

    class Meta(BaseTable.Meta):
        model = Supplier
        fields = (
            "pk",
            "name",
            "account_manager",
            "phone",
            "email",
            "url",
            "support_contract_count",
            "description",
            "comments",
            "tags",
            "actions",
        )
        default_columns = ("pk", "name", "account_manager", "phone", "email", "support_contract_count", "actions")


class SupportContractTable(BaseTable):
    """Support contracts with suppliers."""

    pk = ToggleColumn()
    reference = tables.Column(linkify=True)
    supplier = tables.Column(linkify=True)
    support_level = tables.Column()
    technologies = tables.ManyToManyColumn(linkify_item=True, verbose_name="Technologies")
    tags = TagColumn(url_name="plugins:nautobot_techmgmt:supportcontract_list")
    actions = ButtonsColumn(SupportContract)

    class Meta(BaseTable.Meta):
        model = SupportContract
        fields = (
            "pk",
            "reference",
            "supplier",
            "support_level",
            "technologies",
            "start_date",
            "end_date",
            "cost",
            "hours_per_month",
            "description",
            "tags",
            "actions",
        )
        default_columns = (
            "pk",
            "reference",
            "supplier",
            "support_level",
            "technologies",
            "start_date",
            "end_date",
            "actions",
        )
