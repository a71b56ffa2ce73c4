"""The "Change assessors" button of the object lists: runs the Change assessors Job for the selected objects."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from nautobot.core.utils.lookup import get_filterset_for_model
from nautobot.extras.models import Job as JobModel
from nautobot.extras.models import JobResult

from nautobot_techmgmt.jobs.assessors import ListChangeAssessors
from nautobot_techmgmt.object_types import OBJECT_TYPES_BY_LABEL

# Objects one click sends to the Job: a selection of a list, or every object its filters match.
MAX_SELECTED = 10_000


def change_assessors_job():
    """The Job's record, or None before the Jobs are registered."""
    return JobModel.objects.filter(
        module_name=ListChangeAssessors.__module__, job_class_name=ListChangeAssessors.__name__
    ).first()


class ChangeAssessorsRunView(LoginRequiredMixin, View):
    """POST from a core list: the selected objects (`pk`); with `_all` or no selection, what its filters match."""

    http_method_names = ["post"]

    def post(self, request):
        """Enqueue the Job for the objects and show its result, or go back to the list and say why not."""
        object_type = OBJECT_TYPES_BY_LABEL.get(request.GET.get("object_type", ""))
        if object_type is None:
            return HttpResponseBadRequest("Unknown object type.")
        back = request.POST.get("return_url") or reverse(object_type.list_view)
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse(object_type.list_view)
        job = change_assessors_job()
        if job is None or not job.enabled or not JobModel.objects.restrict(request.user, "run").filter(pk=job.pk):
            messages.error(
                request,
                'The Job "Change assessors" is not enabled, or you may not run it: an administrator enables it '
                "under Jobs and grants the permission to run it.",
            )
            return redirect(back)
        objects = object_type.model.objects.restrict(request.user, "view")
        selected = request.POST.getlist("pk")
        if request.POST.get("_all") or not selected:
            # "Select all" ticked, or nothing selected (lists without bulk actions have no checkboxes): every object
            # the list's filters match.
            filters = request.GET.copy()
            filters.pop("object_type", None)
            objects = get_filterset_for_model(object_type.model)(filters, queryset=objects).qs
        else:
            objects = objects.filter(pk__in=selected)
        ids = [str(pk) for pk in objects.values_list("pk", flat=True)[: MAX_SELECTED + 1]]
        if not ids:
            messages.warning(request, f"No {object_type.verbose_name} is selected or matches the list's filters.")
            return redirect(back)
        if len(ids) > MAX_SELECTED:
            messages.error(request, f"Select at most {MAX_SELECTED} {object_type.verbose_name_plural}.")
            return redirect(back)
        result = JobResult.enqueue_job(job, request.user, job_kwargs={object_type.key: ids})
        return redirect(result.get_absolute_url())
