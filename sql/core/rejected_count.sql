-- How many files the ingest rejected so far.
SELECT CAST(count(*) AS BIGINT) FROM core.ingest_log WHERE status = 'rejected';
