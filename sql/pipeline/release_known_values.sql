-- What a reader who kept a release knows: every published (non-suppressed) value and its key.
SELECT indicator, grain, period_label, geo, breakdown, breakdown_code, value
FROM published.indicator_values
WHERE value IS NOT NULL;
