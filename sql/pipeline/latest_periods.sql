-- The latest month with data, and the latest month for which every expected return arrived
-- (months after it are provisional), from marts.data_quality and marts.calendar. Months
-- outside the calendar (a rejected file may claim any month) are not candidates.
SELECT (SELECT max(period) FROM marts.calendar) AS latest_period,
       (SELECT max(period) FROM (
            SELECT period FROM marts.data_quality
            WHERE period IN (SELECT period FROM marts.calendar)
            GROUP BY period
            HAVING bool_and(received OR NOT expected))) AS latest_complete_period;
