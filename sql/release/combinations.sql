-- (grain, national?, breakdown) combinations an indicator is published at.
SELECT DISTINCT grain, geo = 'PT' AS national, breakdown
FROM rel.published.indicator_values
WHERE indicator = $indicator;
