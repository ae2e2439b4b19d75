"""What authors see of play: a draft's preview through the player's pages, and where
players go wrong."""
