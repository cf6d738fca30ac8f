-- Returns of the months $start .. $end (of the types $types) whose total count is far from the same partner's usual
-- month for that return type: the median of its returns over the previous 12 months (when at
-- least $min_history of them were received). Far: $ratio times the usual or more (or the usual
-- divided by $ratio or less) and at least $min_change away from it. Read by
-- indicators/plausibility.py: a warning for OTSH to check the return, never a rejection, and
-- never published (the totals are the warehouse's own).
WITH now AS (
    SELECT period, partner, return_type, total_count
    FROM pipeline.monthly_returns
    WHERE period BETWEEN $start AND $end AND list_contains($types::VARCHAR[], return_type)
),
usual AS (
    SELECT now.period, now.partner, now.return_type, now.total_count,
           median(past.total_count) AS usual, count(*) AS months
    FROM now
    JOIN pipeline.monthly_returns AS past
      ON past.partner = now.partner AND past.return_type = now.return_type
     AND past.period >= now.period - INTERVAL 12 MONTH AND past.period < now.period
    GROUP BY ALL
)
SELECT strftime(period, '%Y-%m') AS month, partner, return_type, total_count, usual, months
FROM usual
WHERE months >= $min_history
  AND abs(total_count - usual) >= $min_change
  AND (total_count >= $ratio * usual OR total_count * $ratio <= usual)
ORDER BY month, partner, return_type;
