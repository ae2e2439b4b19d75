from django.apps import AppConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class TrainerConfig(AppConfig):
    name = "trainer"
    verbose_name = _("Training")

    def ready(self):
        from scenarios.authoring import play_links
        from scenarios.authoring.drafts import on_draft_edit
        from trainer.authors.preview import previews_discard

        on_draft_edit(previews_discard)
        # The authoring pages link to these without naming trainer's URLs.
        play_links.play_link_register(
            play_links.PREVIEW, lambda pk: reverse("authoring_preview", args=[pk])
        )
        play_links.play_link_register(
            play_links.STATS, lambda pk: reverse("authoring_stats", args=[pk])
        )
        play_links.play_link_register(
            play_links.CHECK_STATS, lambda pk: reverse("authoring_check_stats", args=[pk])
        )
