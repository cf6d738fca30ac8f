-- Cells of the victims returns being loaded (registered frame `incoming_cells`, with the
-- ingest_id of their file), attached to the submission that load created for their period.
INSERT INTO core.victims_cells
SELECT s.submission_id, c.partner, CAST(c.period AS DATE), c.district, c.sex, c.age_group,
       c.citizenship, c.exploitation, c.status, c.signalled_by, CAST(c.count AS INTEGER)
FROM incoming_cells AS c
JOIN core.submissions AS s
  ON s.ingest_id = c.ingest_id AND s.return_type = 'victims' AND s.period = c.period
