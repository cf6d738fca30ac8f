-- Step 2 of a partition rewrite: the months $start .. $end again from the current core
-- views (after delete_months.sql, in the same transaction).
INSERT INTO pipeline.monthly_returns
WITH totals AS (
    SELECT submission_id, CAST(sum(count) AS BIGINT) AS total_count
    FROM core.victims WHERE period BETWEEN $start AND $end GROUP BY submission_id
    UNION ALL
    SELECT submission_id, CAST(sum(count) AS BIGINT)
    FROM core.support WHERE period BETWEEN $start AND $end GROUP BY submission_id
    UNION ALL
    SELECT submission_id, CAST(sum(count) AS BIGINT)
    FROM core.activities WHERE period BETWEEN $start AND $end GROUP BY submission_id
)
SELECT s.period, s.partner, s.return_type, s.version, s.submission_id, s.sha256, s.n_rows,
       coalesce(t.total_count, 0), s.received_at, now()::TIMESTAMP
FROM core.current_submissions s
LEFT JOIN totals t USING (submission_id)
WHERE s.period BETWEEN $start AND $end;
