"""What the test tasks saw (in the test's own process)."""

CALLS: list[int] = []
