INSERT INTO published.release_info
VALUES ($id, $created, $latest, $complete, $previous, $k, $zeros, $audit, $synthetic,
        $sources, $changes);
