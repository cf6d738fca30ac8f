-- One new submission per (return type, period) in the file (registered frame
-- `staged_submissions`: return_type, period, n_rows): version = previous max + 1.
INSERT INTO core.submissions (partner, return_type, period, version, ingest_id, sha256,
                              n_rows, received_at, superseded_at)
SELECT $partner, i.return_type, i.period, COALESCE(m.max_version, 0) + 1,
       $ingest_id, $sha256, i.n_rows, $received_at, NULL
FROM staged_submissions AS i
LEFT JOIN (SELECT return_type, period, max(version) AS max_version
           FROM core.submissions
           WHERE partner = $partner
           GROUP BY return_type, period) AS m
  ON m.return_type = i.return_type AND m.period = i.period
ORDER BY i.return_type, i.period
RETURNING return_type, period, version
