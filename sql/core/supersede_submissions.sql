-- New returns for (partner, return_type, period) supersede the current ones (registered
-- frame `staged_submissions`: partner, return_type, period, n_rows, ingest_id, sha256,
-- received_at, loaded_at; at most one row per key). The earlier ones stay queryable, with
-- superseded_at set, and drop out of core.current_submissions.
UPDATE core.submissions AS s
SET superseded_at = i.loaded_at
FROM staged_submissions AS i
WHERE s.partner = i.partner
  AND s.return_type = i.return_type
  AND s.period = i.period
  AND s.superseded_at IS NULL
