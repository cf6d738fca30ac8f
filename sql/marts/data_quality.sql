-- Data quality (internal, for analysts only): per partner x return type x month.
-- Inputs: core.submissions, core.ingest_log, marts.calendar,
--         marts.reg_expected (partner, return_type, first_month, last_month, due_days).
-- Output: marts.data_quality.
-- Due date of the return for month M: last day of M + due_days (expected_returns.toml).
-- days_late: days between the due date and the first receipt (0 when on time, NULL when
-- not received).

CREATE OR REPLACE TABLE marts.data_quality AS
WITH due AS (SELECT max(due_days) AS due_days FROM marts.reg_expected),
expected AS (
    SELECT e.partner, e.return_type, k.period
    FROM marts.reg_expected e
    JOIN marts.calendar k
      ON k.period >= e.first_month AND (e.last_month IS NULL OR k.period <= e.last_month)
),
received AS (
    SELECT partner, return_type, period,
           min(received_at) AS first_received_at,
           CAST(count(*) AS BIGINT) AS versions
    FROM core.submissions
    GROUP BY ALL
),
rejected AS (
    SELECT l.partner, rt.return_type, p.period, CAST(count(*) AS BIGINT) AS rejected_files
    FROM core.ingest_log l,
         unnest(l.return_types) AS rt(return_type),
         unnest(l.periods) AS p(period)
    WHERE l.status = 'rejected' AND l.partner IS NOT NULL
      AND p.period <= current_date  -- a name may claim a future month: not a grid column
    GROUP BY ALL
),
keys AS (
    SELECT partner, return_type, period FROM expected
    UNION SELECT partner, return_type, period FROM received
    UNION SELECT partner, return_type, period FROM rejected
)
SELECT k.partner, k.return_type, k.period,
       e.partner IS NOT NULL AS expected,
       r.partner IS NOT NULL AS received,
       r.first_received_at,
       (last_day(k.period) + (SELECT due_days FROM due) * INTERVAL 1 DAY)::DATE AS due_date,
       CASE WHEN r.first_received_at IS NULL THEN NULL
            ELSE greatest(0, date_diff('day',
                 (last_day(k.period) + (SELECT due_days FROM due) * INTERVAL 1 DAY)::DATE,
                 CAST(r.first_received_at AS DATE)))
       END AS days_late,
       coalesce(r.versions, 0) AS versions,
       greatest(coalesce(r.versions, 0) - 1, 0) AS revisions,
       coalesce(j.rejected_files, 0) AS rejected_files
FROM keys k
LEFT JOIN expected e USING (partner, return_type, period)
LEFT JOIN received r USING (partner, return_type, period)
LEFT JOIN rejected j USING (partner, return_type, period)
ORDER BY k.partner, k.return_type, k.period;
