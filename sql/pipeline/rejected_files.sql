-- Files the ingest rejected, with where the original is kept in quarantine.
SELECT file_name, stored_path FROM core.ingest_log WHERE status = 'rejected';
