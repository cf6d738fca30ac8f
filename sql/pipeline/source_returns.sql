-- The current version of every return that a release is built from (release_info.source_returns).
SELECT partner, return_type, strftime(period, '%Y-%m') AS period, version, sha256
FROM core.current_submissions
ORDER BY period, partner, return_type;
