-- Step 1 of a partition rewrite (pipeline.monthly_returns, months $start .. $end); the
-- caller runs it and insert_months.sql in ONE transaction.
DELETE FROM pipeline.monthly_returns WHERE period BETWEEN $start AND $end;
