-- Grains an indicator is published at.
SELECT DISTINCT grain FROM rel.published.indicator_values WHERE indicator = $indicator;
