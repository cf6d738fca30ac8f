-- Cells of the activities returns being loaded (registered frame `incoming_cells`, with the
-- ingest_id of their file), attached to the submission that load created for their period.
INSERT INTO core.activities_cells
SELECT s.submission_id, c.partner, CAST(c.period AS DATE), c.district, c.activity,
       c.audience, c.sex, CAST(c.count AS INTEGER)
FROM incoming_cells AS c
JOIN core.submissions AS s
  ON s.ingest_id = c.ingest_id AND s.return_type = 'activities' AND s.period = c.period
