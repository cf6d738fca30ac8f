SELECT min(period)::VARCHAR, max(period)::VARCHAR FROM marts.calendar;
