from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Work notices")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from branches.models import Organisation
        from branches.panels import register_branch_panel
        from portal.demo import register_demo_step
        from tasks.demo import seed_notice
        from tasks.kinds import load_builtin_kinds
        from tasks.panels import todo_panel
        from tasks.signals import organisation_saved

        load_builtin_kinds()
        # branches must not import tasks, so tasks listens for new or re-activated branches.
        post_save.connect(organisation_saved, sender=Organisation, dispatch_uid="tasks.sync")
        register_branch_panel(todo_panel)
        from tasks.views.dashboard import branch_assignments_panel, branch_meetings_panel

        register_branch_panel(branch_assignments_panel)
        register_branch_panel(branch_meetings_panel)
        import tasks.workbook  # noqa: F401  (registers the workbook's exporters)
        from branches.views.home import REGION_ROLLUPS
        from tasks.rollup import region_rollup

        if region_rollup not in REGION_ROLLUPS:
            REGION_ROLLUPS.append(region_rollup)
        register_demo_step("work notice 2022 No. 3 and its assignments", seed_notice)
