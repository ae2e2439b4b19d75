"""What every player-facing concern shares: who the player is, where a request comes from,
the site's languages, error pages."""
