-- The codes found in the columns of one loaded return view that $column_pattern names
-- (^(name|name...)$), as distinct (name, code) rows, NULL kept as a code: one scan for all
-- the coded columns of a return type (was one query per column).
SELECT DISTINCT name, code
FROM (SELECT COLUMNS($column_pattern) FROM query_table($view))
UNPIVOT INCLUDE NULLS (code FOR name IN (COLUMNS(*)));
