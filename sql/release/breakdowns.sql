-- (breakdown, breakdown_code) pairs published for an indicator, totals first.
SELECT DISTINCT breakdown, breakdown_code
FROM rel.published.indicator_values
WHERE indicator = $indicator
ORDER BY breakdown <> '_T', breakdown, breakdown_code;
