"""Writing scenarios in the admin: drafts and publishing, the graph check, the picture
of the story, translation, and packs in and out.

Playing a draft (preview) and the statistics of play read players' attempts, so they
live in the trainer app (`trainer/authors/`), which registers links to them
(`play_links.py`): this app never imports from trainer.
"""
