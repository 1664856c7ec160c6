-- Plimsoll schema version 2 (SQLite): round-robin claims; the pending counter gets the shard column
-- of the PostgreSQL schema (SQLite serializes writers, so it only ever uses shard 0).

-- A claim takes jobs queue by queue (round-robin across queues), so the claim index leads with
-- the queue; within a queue it is still highest priority, then oldest.
DROP INDEX plimsoll_jobs_claim;
CREATE INDEX plimsoll_jobs_claim ON plimsoll_jobs (queue, priority DESC, run_at, id_hi, id_lo) WHERE state = 1;

CREATE TABLE plimsoll_queue_pending_v2 (
  queue   TEXT    NOT NULL,
  shard   INTEGER NOT NULL DEFAULT 0,
  pending INTEGER NOT NULL,
  PRIMARY KEY (queue, shard)
);
INSERT INTO plimsoll_queue_pending_v2 (queue, shard, pending) SELECT queue, 0, pending FROM plimsoll_queue_pending;
DROP TABLE plimsoll_queue_pending;
ALTER TABLE plimsoll_queue_pending_v2 RENAME TO plimsoll_queue_pending;
