INSERT INTO published.release_history VALUES ($id, $created, $en, $pt, $n, $audience);
