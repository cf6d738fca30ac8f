-- A new return for (partner, return_type, period) supersedes the current one (registered
-- frame `staged_submissions`: return_type, period, n_rows). The earlier one stays
-- queryable, with superseded_at set, and drops out of core.current_submissions.
UPDATE core.submissions AS s
SET superseded_at = $loaded_at
FROM staged_submissions AS i
WHERE s.partner = $partner
  AND s.return_type = i.return_type
  AND s.period = i.period
  AND s.superseded_at IS NULL
