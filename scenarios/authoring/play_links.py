"""Links from the authoring pages to pages about play that another app serves.

Previewing a draft and the statistics of play read players' attempts, so they live in the
trainer app, and this app never imports from trainer. The app that serves them registers
here how to reach each one (trainer does so in its AppConfig.ready); the authoring pages ask
by name, and show no link for a page nobody registered.
"""

from collections.abc import Callable

PREVIEW = "preview"  # POST here with a version's id to play it through the player's pages
STATS = "stats"  # where players go wrong, with a scenario's id
CHECK_STATS = "check-stats"  # how a module's check items were answered, with its id

_builders: dict[str, Callable[[int], str]] = {}


def play_link_register(name: str, build: Callable[[int], str]) -> None:
    """Say how to reach the page `name` for an object's id."""
    _builders[name] = build


def play_link(name: str, object_id: int) -> str:
    """The address of page `name` for the object, or "" when no app serves it."""
    build = _builders.get(name)
    return build(object_id) if build is not None else ""
