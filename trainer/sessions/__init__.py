"""Sessions a facilitator runs for a group: join codes, joining, the live board, the
group's view for the projector, the report and its CSV."""
