-- For each hash of the files about to be ingested (registered frame `staged_hashes`:
-- sha256), its earliest successful load, if any (see find_loaded_file.sql).
SELECT sha256, ingest_id, file_name, partner, return_types, periods, n_rows, stored_path,
       loaded_at
FROM core.ingest_log
WHERE status = 'loaded' AND sha256 IN (SELECT sha256 FROM staged_hashes)
QUALIFY row_number() OVER (PARTITION BY sha256 ORDER BY ingest_id) = 1
