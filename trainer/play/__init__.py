"""Playing a scenario: the catalogue, a step at a time, the ending and its debrief."""
