-- Plimsoll schema version 2 (PostgreSQL): round-robin claims and sharded pending counters.

-- A claim takes jobs queue by queue (round-robin across queues), so the claim index leads with
-- the queue; within a queue it is still highest priority, then oldest.
DROP INDEX plimsoll_jobs_claim;
CREATE INDEX plimsoll_jobs_claim ON plimsoll_jobs (queue, priority DESC, run_at, id_hi, id_lo) WHERE state = 1;

-- Pending counts per queue, in shards whose sum is the count. Shard 0 takes every increase
-- (inserts, under its row lock, which keeps the capacity check exact or conservative) and the
-- rare decreases (cancels, drops); claims subtract from a shard 1..8 of their own connection, so a
-- claim never waits for an insert's commit on the shard-0 row.
ALTER TABLE plimsoll_queue_pending ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE plimsoll_queue_pending DROP CONSTRAINT plimsoll_queue_pending_pkey;
ALTER TABLE plimsoll_queue_pending ADD PRIMARY KEY (queue, shard);
