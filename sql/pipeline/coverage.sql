-- Returns received per (partner, return_type) for the months $start .. $end, from the
-- monthly snapshot; compared in Python with the expected returns of the registry.
SELECT partner, return_type, period
FROM pipeline.monthly_returns
WHERE period BETWEEN $start AND $end;
