-- The release's own description (one row).
SELECT release_id, created_at, latest_period, latest_complete_period,
       disclosure_threshold, zeros_publishable, audit_ok, synthetic, changes
FROM rel.published.release_info
LIMIT 1;
