-- The read API's /data selection: one indicator; other filters optional (NULL = any).
SELECT indicator, grain, period_label, period, period_end, geo, breakdown, breakdown_code,
       value, numerator, denominator, unit, flags
FROM rel.published.indicator_values
WHERE indicator = $indicator
  AND ($grain::VARCHAR IS NULL OR grain = $grain)
  AND ($breakdown::VARCHAR IS NULL OR breakdown = $breakdown)
  AND ($code::VARCHAR IS NULL OR breakdown_code = $code)
  AND ($geos::VARCHAR[] IS NULL OR list_contains($geos::VARCHAR[], geo))
  AND ($from::DATE IS NULL OR period >= $from)
  AND ($to::DATE IS NULL OR period_end <= $to)
ORDER BY grain, period, period_end, geo, breakdown, breakdown_code;
