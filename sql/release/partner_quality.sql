-- One partner's data-quality states per return type and month (YYYY-MM), with the days
-- the FIRST delivery came after the due date (NULL when nothing was received).
SELECT return_type, strftime(period, '%Y-%m') AS period, state, days_late
FROM rel.published.data_quality
WHERE partner = $partner;
