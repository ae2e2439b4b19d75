"""What authors see of play: previewing a draft, and where players go wrong (aggregates
only). Here rather than in scenarios, because both read attempts, which are trainer's."""
