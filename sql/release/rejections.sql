-- Rejected submissions (opaque ingest number, rule codes, row), newest first.
SELECT * FROM rel.published.rejections ORDER BY received_at DESC;
