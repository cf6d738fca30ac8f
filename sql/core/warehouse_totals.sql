-- What the warehouse currently holds, per return type (current versions only).
SELECT 'victims' AS return_type, count(*)::BIGINT AS cells,
       COALESCE(sum(count), 0)::BIGINT AS total, count(DISTINCT partner)::BIGINT AS partners,
       strftime(min(period), '%Y-%m') AS first_period, strftime(max(period), '%Y-%m') AS last_period
FROM core.victims
UNION ALL
SELECT 'support', count(*)::BIGINT, COALESCE(sum(count), 0)::BIGINT,
       count(DISTINCT partner)::BIGINT, strftime(min(period), '%Y-%m'),
       strftime(max(period), '%Y-%m')
FROM core.support
UNION ALL
SELECT 'activities', count(*)::BIGINT, COALESCE(sum(count), 0)::BIGINT,
       count(DISTINCT partner)::BIGINT, strftime(min(period), '%Y-%m'),
       strftime(max(period), '%Y-%m')
FROM core.activities
