"""Module runs: the check before, the scenarios in order, the check after, the result,
and the booster."""
