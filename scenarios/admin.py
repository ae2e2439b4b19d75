"""The authoring admin: scenarios and their drafts, steps, red-flag types and modules.

Everything here is content. The Authors group holds exactly this app's permissions
(migration 0003), so an author never reaches players' results, which live in trainer.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from scenarios.authoring.admin_content import ScenarioVersionAdmin, StepAdmin
from scenarios.authoring.admin_scenarios import ScenarioAdmin
from scenarios.authoring.admin_taxonomy import ModuleAdmin, RedFlagTypeAdmin
from scenarios.models import Module, RedFlagType, Scenario, ScenarioVersion, Step

admin.site.register(Scenario, ScenarioAdmin)
admin.site.register(ScenarioVersion, ScenarioVersionAdmin)
admin.site.register(Step, StepAdmin)
admin.site.register(RedFlagType, RedFlagTypeAdmin)
admin.site.register(Module, ModuleAdmin)

admin.site.site_header = _("Saq administration")
admin.site.site_title = _("Saq administration")
