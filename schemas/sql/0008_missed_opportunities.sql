-- A period in which a group ran more instances than it needed and
-- Scalora did not remove them (a scale-in held back by stabilisation, a
-- preview-mode recommendation nobody applied, a floor set too high).
-- Natural key (group, start). removable is the instance count that could
-- have gone, instance_hours = removable x (end - start) in hours, dollars
-- what those hours cost.
-- The pipeline does not fill this table yet: it is the destination of a
-- hindsight pass over decisions and steps still to be written. The
-- missed_opportunities_ranked view and the savings dashboard read it.
CREATE TABLE IF NOT EXISTS {db}.missed_opportunities
(
    group          LowCardinality(String),
    start          DateTime64(3, 'UTC'),
    end            DateTime64(3, 'UTC'),
    provider       LowCardinality(String),
    instance_type  LowCardinality(String),
    removable      Int32,
    instance_hours Float64,
    dollars        Float64,
    reason         String,
    inserted_at    DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(inserted_at)
PARTITION BY toYYYYMM(start)
ORDER BY (group, start)
