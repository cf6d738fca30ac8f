-- Cells of one loaded return view with a count or a period the contract forbids.
SELECT CAST(count(*) AS BIGINT)
FROM query_table($view)
WHERE count < 0 OR count > 100000 OR period < DATE '2021-01-01' OR period > current_date;
