-- Rows the monthly snapshot holds for the months $start..$end.
SELECT CAST(count(*) AS BIGINT) FROM pipeline.monthly_returns WHERE period BETWEEN $start AND $end;
