-- Published values of one indicator; every other filter is optional (NULL = any).
SELECT indicator, grain, period, period_end, period_label, geo, breakdown,
       breakdown_code, value, numerator, denominator, unit, flags
FROM rel.published.indicator_values
WHERE indicator = $indicator
  AND ($grain::VARCHAR IS NULL OR grain = $grain)
  AND ($breakdown::VARCHAR IS NULL OR breakdown = $breakdown)
  AND ($code::VARCHAR IS NULL OR breakdown_code = $code)
  AND ($period_label::VARCHAR IS NULL OR period_label = $period_label)
  AND ($geos::VARCHAR[] IS NULL OR list_contains($geos::VARCHAR[], geo))
ORDER BY period, geo, breakdown, breakdown_code;
