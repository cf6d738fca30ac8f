-- Whether each expected return arrived, per return type and month (for the availability flags).
SELECT return_type, period, expected, received FROM marts.data_quality;
