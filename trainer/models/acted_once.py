"""Requests acted on once: their keys and the answers they got (trainer.web.once)."""

from django.db import models


class ActedOnce(models.Model):
    """A write a person can repeat (a double click, a resent form, one request sent many
    times at once), by its key, with the answer the first of them got: every repeat gets
    that answer instead of acting again. The key being the primary key is what makes the
    database hold it under concurrency. Rows a day old are pruned (`prune_sessions`)."""

    key = models.CharField(max_length=200, primary_key=True)
    answer = models.CharField(max_length=100, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.key
