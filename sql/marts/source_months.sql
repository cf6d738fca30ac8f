-- What each month's rows of the family marts (victims.sql, support.sql, activities.sql) are
-- computed from, per return type: the current submissions with cells in that month, each
-- with its number of cells and the sum of its counts. The cells of a loaded submission are
-- never changed (a revision is a new submission that supersedes the old one), so a month
-- whose fingerprint is unchanged has unchanged cube and monthly rows (indicators/compute.py
-- then recomputes only the other months).
-- Inputs: core.victims, core.support, core.activities (current versions).
-- Output: marts.source_months_now (return_type, period, fingerprint).

CREATE OR REPLACE TABLE marts.source_months_now AS
WITH per_submission AS (
    SELECT 'victims' AS return_type, period, submission_id, count(*) AS n,
           sum(count) AS total
    FROM core.victims GROUP BY period, submission_id
    UNION ALL
    SELECT 'support', period, submission_id, count(*), sum(count)
    FROM core.support GROUP BY period, submission_id
    UNION ALL
    SELECT 'activities', period, submission_id, count(*), sum(count)
    FROM core.activities GROUP BY period, submission_id
)
SELECT return_type, period,
       md5(string_agg(concat_ws(':', submission_id, n, total), ',' ORDER BY submission_id))
           AS fingerprint
FROM per_submission
GROUP BY return_type, period;
