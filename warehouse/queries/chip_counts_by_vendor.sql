-- How many AI chips of each vendor and model does the press report in clusters?
-- An outlet repeating a count does not add to it: each subject counts once per
-- chip, with the largest count reported for it. The vendor is the chip name's
-- first word ("Nvidia H100" is Nvidia's).
WITH per_subject AS (
    SELECT chip, subject, max(value) AS chips, count(*) AS reports
    FROM figure_history
    WHERE metric = 'chip_count' AND chip IS NOT NULL
    GROUP BY chip, subject
)
SELECT
    split_part(chip, ' ', 1) AS vendor,
    chip,
    sum(chips) AS chips_reported,
    sum(sum(chips)) OVER (PARTITION BY split_part(chip, ' ', 1)) AS vendor_chips_reported,
    max(chips) AS largest_cluster,
    arg_max(subject, chips) AS largest_cluster_subject,
    count(*) AS subjects,
    sum(reports) AS reports,
    list(subject ORDER BY chips DESC) AS subject_list
FROM per_subject
GROUP BY chip
ORDER BY vendor_chips_reported DESC, vendor, chips_reported DESC;
