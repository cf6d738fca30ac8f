-- Flag 'r' on published values that differ from the previous release's published value.
UPDATE published.indicator_values AS v
SET flags = v.flags || 'r'
FROM prev.published.indicator_values AS o
WHERE v.indicator = o.indicator AND v.grain = o.grain AND v.period = o.period
  AND v.period_end = o.period_end AND v.geo = o.geo AND v.breakdown = o.breakdown
  AND v.breakdown_code = o.breakdown_code
  AND v.value IS NOT NULL AND o.value IS NOT NULL
  AND v.value <> o.value AND NOT contains(v.flags, 'r');
