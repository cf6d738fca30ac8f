-- One row per received file, whatever happened to it (loaded | rejected | duplicate).
INSERT INTO core.ingest_log (file_name, sha256, size_bytes, partner, return_types, periods,
                             n_rows, status, reasons, stored_path, received_at, loaded_at)
VALUES ($file_name, $sha256, $size_bytes, $partner, $return_types, $periods,
        $n_rows, $status, $reasons, $stored_path, $received_at, $loaded_at)
RETURNING ingest_id
