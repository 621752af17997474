-- Which pairs of outlets contradict each other most often, and by how much?
-- Each contradiction counts once, for the two outlets it shows side by side;
-- `examples` lists the conflicts, the widest first.
SELECT
    least(a_outlet, b_outlet) AS outlet_1,
    greatest(a_outlet, b_outlet) AS outlet_2,
    count(*) AS contradictions,
    count(*) FILTER (WHERE status = 'open') AS still_open,
    round(100 * max(relative_difference), 1) AS largest_difference_pct,
    round(100 * avg(relative_difference), 1) AS mean_difference_pct,
    list({
        'subject': subject, 'metric': metric,
        'a_outlet': a_outlet, 'a_value': a_value, 'b_outlet': b_outlet, 'b_value': b_value
    } ORDER BY relative_difference DESC) AS examples
FROM contradictions
GROUP BY outlet_1, outlet_2
ORDER BY contradictions DESC, largest_difference_pct DESC, outlet_1, outlet_2;
