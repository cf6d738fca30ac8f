-- Earlier releases named in this one, newest first.
SELECT * FROM rel.published.release_history ORDER BY created_at DESC;
