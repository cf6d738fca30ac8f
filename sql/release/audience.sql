-- Who may read an indicator (public, donor, analyst).
SELECT audience FROM rel.published.indicators WHERE code = $indicator;
