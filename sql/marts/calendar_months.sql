-- The months of the calendar as YYYY-MM, oldest first.
SELECT strftime(period, '%Y-%m') FROM marts.calendar ORDER BY 1;
