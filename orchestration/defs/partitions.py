"""Monthly partitions from January 2021 (the first month of the partner-return contract) to
the last complete month, in Lisbon time."""

import dagster as dg

FIRST_MONTH = "2021-01-01"
TIMEZONE = "Europe/Lisbon"

monthly = dg.MonthlyPartitionsDefinition(start_date=FIRST_MONTH, timezone=TIMEZONE)
