-- leadflow.owner-figures.v1 (compacted): each owner's latest figures — customers held, those counting against the
-- capacity, the capacity, claims on `day` (in `time_zone`) and the daily limit. The processor numbers an owner's
-- figures 1, 2, 3, … (`sequence`); a figure replaces the row only with a higher one, so a replay or a late older
-- record never moves a row backwards. A figure whose `day` is not today in `time_zone` means no claims today.
-- Numbered V5: V4 is left to a migration written at the same time on another branch.
CREATE TABLE owner_figures (
    tenant                 text        NOT NULL,
    owner                  text        NOT NULL,
    team                   text,
    held                   bigint      NOT NULL,
    held_counting_capacity bigint      NOT NULL,
    capacity               integer,
    claims_today           bigint      NOT NULL,
    daily_claim_limit      integer,
    day                    date        NOT NULL,
    time_zone              text        NOT NULL,
    rules_version          bigint      NOT NULL,
    sequence               bigint      NOT NULL,
    updated_at             timestamptz NOT NULL,
    PRIMARY KEY (tenant, owner)
);
