SELECT count(*) FROM duckdb_tables() WHERE schema_name = $schema AND table_name = $table;
