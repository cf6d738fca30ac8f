-- The returns the previous release was built from (JSON).
SELECT source_returns FROM prev.published.release_info;
