-- Missed opportunities, deduplicated, most expensive first.
CREATE VIEW IF NOT EXISTS {db}.missed_opportunities_ranked AS
SELECT
    group,
    start,
    end,
    provider,
    instance_type,
    removable,
    instance_hours,
    dollars,
    reason
FROM {db}.missed_opportunities FINAL
ORDER BY dollars DESC, group, start
