-- The codes found in one column of one loaded return view ($column_pattern = ^name$).
SELECT DISTINCT COLUMNS($column_pattern) FROM query_table($view);
