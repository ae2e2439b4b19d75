from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainerConfig(AppConfig):
    name = "trainer"
    verbose_name = _("Training")

    def ready(self):
        from scenarios.authoring.drafts import on_draft_edit
        from trainer.authoring.preview import previews_discard

        on_draft_edit(previews_discard)
