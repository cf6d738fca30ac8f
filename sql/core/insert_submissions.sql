-- One new submission per (partner, return type, period) of the files being loaded
-- (registered frame `staged_submissions`, see supersede_submissions.sql; at most one row per
-- key): version = previous max + 1.
INSERT INTO core.submissions (partner, return_type, period, version, ingest_id, sha256,
                              n_rows, received_at, superseded_at)
SELECT i.partner, i.return_type, i.period, COALESCE(m.max_version, 0) + 1,
       i.ingest_id, i.sha256, i.n_rows, i.received_at, NULL
FROM staged_submissions AS i
LEFT JOIN (SELECT partner, return_type, period, max(version) AS max_version
           FROM core.submissions
           WHERE partner IN (SELECT DISTINCT partner FROM staged_submissions)
           GROUP BY partner, return_type, period) AS m
  ON m.partner = i.partner AND m.return_type = i.return_type AND m.period = i.period
ORDER BY i.ingest_id, i.return_type, i.period
RETURNING ingest_id, return_type, period, version
