-- The earliest successful load of a file with this content hash (if any): a file whose hash
-- is here has been loaded, so receiving it again is a duplicate that changes nothing.
SELECT ingest_id, file_name, partner, return_types, periods, n_rows, stored_path, loaded_at
FROM core.ingest_log
WHERE sha256 = $sha256 AND status = 'loaded'
ORDER BY ingest_id
LIMIT 1
