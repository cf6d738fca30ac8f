-- What every publication told a reader of each value (warehouse only): the value, or the
-- interval the release-wide audit proved for a hidden one. A reader may have kept a release
-- that serving/ no longer holds, so revisions are protected against all of them.
CREATE TABLE IF NOT EXISTS protected.released_knowledge (
    indicator VARCHAR, grain VARCHAR, period_label VARCHAR, geo VARCHAR, breakdown VARCHAR,
    breakdown_code VARCHAR, low DOUBLE, high DOUBLE);
INSERT INTO protected.released_knowledge
SELECT indicator, grain, period_label, geo, breakdown, breakdown_code,
       CAST(low AS DOUBLE), CAST(high AS DOUBLE)
FROM protected.reader_knowledge
EXCEPT
SELECT indicator, grain, period_label, geo, breakdown, breakdown_code, low, high
FROM protected.released_knowledge;
