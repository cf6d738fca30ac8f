-- The release-wide disclosure audit summary, the whole release first.
SELECT * FROM rel.published.disclosure_audit ORDER BY indicator <> '_ALL', indicator;
