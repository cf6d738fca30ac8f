-- Returns expected and received per partner, return type and month.
SELECT * FROM rel.published.data_quality ORDER BY partner, return_type, period;
