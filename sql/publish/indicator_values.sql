-- Every published value of a release file (what the outsider's audit reads).
SELECT * FROM published.indicator_values;
