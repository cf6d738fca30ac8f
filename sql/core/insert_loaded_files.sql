-- One ingest_log row per accepted file being loaded (registered frame `staged_files`, in
-- load order): the ids come from the sequence; returned with each file's hash.
INSERT INTO core.ingest_log (file_name, sha256, size_bytes, partner, return_types, periods,
                             n_rows, status, reasons, stored_path, received_at, loaded_at)
SELECT file_name, sha256, size_bytes, partner, return_types, periods, n_rows, 'loaded',
       CAST(reasons AS JSON), stored_path, received_at, loaded_at
FROM staged_files
ORDER BY file_no
RETURNING ingest_id, sha256
