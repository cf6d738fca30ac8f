-- (period_label, period_end) with district values at a grain, oldest first.
SELECT DISTINCT period_label, period_end
FROM rel.published.indicator_values
WHERE indicator = $indicator AND grain = $grain AND geo <> 'PT'
ORDER BY period_end, period_label;
