-- The current version of every return that a release is built from (release_info.source_returns).
-- Provenance only: partner x return type x period x version. Nothing computed from the
-- partner's file (digest, name, size, row count) leaves the warehouse: a digest of a small
-- structured return can be inverted by brute force.
SELECT partner, return_type, strftime(period, '%Y-%m') AS period, version
FROM core.current_submissions
ORDER BY period, partner, return_type;
