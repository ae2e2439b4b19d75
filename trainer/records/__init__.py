"""Learning records: every session player's progress as xAPI 1.0.3 statements, queued in
the database with the answer they tell of and sent to the organisation's learning record
store by `manage.py send_statements`."""
