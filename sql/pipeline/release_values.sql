-- The published values of one release file (opened read-only), without the release id.
SELECT * EXCLUDE (release_id) FROM published.indicator_values;
