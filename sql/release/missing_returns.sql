-- Expected partner returns not (yet) received, per month: why a value is provisional.
SELECT partner, return_type, period
FROM rel.published.data_quality
WHERE expected AND NOT received
ORDER BY period, partner, return_type;
