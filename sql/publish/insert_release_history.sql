INSERT INTO published.release_history
    (release_id, created_at, summary_en, summary_pt, values_added, values_changed,
     values_removed, values_hidden, audience)
VALUES ($id, $created, $en, $pt, $added, $changed, $removed, $hidden, $audience);
