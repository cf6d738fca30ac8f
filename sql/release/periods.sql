-- (period_label, period_end) of an indicator at a grain, oldest first.
SELECT DISTINCT period_label, period_end
FROM rel.published.indicator_values
WHERE indicator = $indicator AND grain = $grain
ORDER BY period_end, period_label;
