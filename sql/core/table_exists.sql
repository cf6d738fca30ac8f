-- 1 when the table $schema.$table exists, else 0.
SELECT count(*) FROM duckdb_tables() WHERE schema_name = $schema AND table_name = $table;
