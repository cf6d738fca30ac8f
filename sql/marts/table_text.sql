-- One table's rows as one string in a fixed order (what the compute fingerprint hashes).
SELECT string_agg(CAST(t AS VARCHAR), '|' ORDER BY CAST(t AS VARCHAR)) FROM query_table($table) t;
