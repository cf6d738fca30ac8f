-- Returns expected, received, late, and files rejected (the `observatory indicators` summary).
SELECT count(*) FILTER (WHERE expected),
       count(*) FILTER (WHERE expected AND received),
       count(*) FILTER (WHERE days_late > 0),
       coalesce(sum(rejected_files), 0)
FROM marts.data_quality;
