-- published.data_quality rows (analysts only: returns' metadata, no victim counts) from
-- marts.data_quality (sql/marts/data_quality.sql). One state per partner x return x month.
SELECT partner, return_type, period, expected, received, first_received_at,
       CAST(days_late AS INTEGER) AS days_late,
       CAST(versions AS INTEGER) AS versions,
       CAST(rejected_files AS INTEGER) AS rejected_files,
       CASE WHEN NOT received AND rejected_files > 0 THEN 'rejected'
            WHEN NOT received AND NOT expected THEN 'not_expected'
            WHEN NOT received THEN 'missing'
            WHEN versions > 1 THEN 'revised'
            WHEN days_late > 0 THEN 'late'
            ELSE 'received' END AS state
FROM marts.data_quality
ORDER BY partner, return_type, period;
