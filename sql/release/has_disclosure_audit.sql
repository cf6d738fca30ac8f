-- 1 when the release has the release-wide audit summary (releases made before it do not).
SELECT count(*) AS n
FROM duckdb_tables()
WHERE database_name = 'rel' AND schema_name = 'published' AND table_name = 'disclosure_audit';
