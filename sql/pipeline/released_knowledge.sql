-- What every release of this warehouse told a reader of each value (see
-- keep_published_cells.sql): a published value (low = high) or a hidden value's interval.
SELECT indicator, grain, period_label, geo, breakdown, breakdown_code, low, high
FROM protected.released_knowledge;
