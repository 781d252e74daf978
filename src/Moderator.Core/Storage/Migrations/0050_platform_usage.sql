-- What the installation has spent of a platform allowance that all worker nodes share: YouTube Data API units per
-- quota day (the Pacific date), X post reads per calendar month (UTC, the first day of the month). "budget" names
-- whose allowance it is (the OAuth client id, which belongs to one Google project or one X app), so a switch to
-- another project starts from nothing. Rows are a few per day and are kept: they are the spend history.
CREATE TABLE platform_usage (
    platform      text NOT NULL CHECK (platform IN ('Facebook','Instagram','X','YouTube')),
    budget        text NOT NULL,
    period_start  date NOT NULL,
    spent         bigint NOT NULL CHECK (spent >= 0),
    updated_at    timestamptz NOT NULL,
    PRIMARY KEY (platform, budget, period_start)
);
