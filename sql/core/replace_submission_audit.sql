-- The dashboard's audit trail of partner uploads (registered frame `audit_lines`, read from
-- $OBS_DATA_DIR/submissions/audit.jsonl by indicators/submissions.py). Internal: file names
-- stay in the warehouse; nothing in sql/published reads this table.
CREATE SCHEMA IF NOT EXISTS core;
CREATE OR REPLACE TABLE core.submission_audit AS SELECT * FROM audit_lines
