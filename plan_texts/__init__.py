"""The sample plans PlanBot ships with (data only): indexed on first use of a new database."""
