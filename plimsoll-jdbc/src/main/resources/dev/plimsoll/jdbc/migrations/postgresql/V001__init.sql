-- Plimsoll schema version 1 (PostgreSQL).
-- State codes: 0 SCHEDULED, 1 QUEUED, 2 RUNNING, 3 SUCCEEDED, 4 DEAD, 5 CANCELLED.
-- Timestamps are microseconds since the Unix epoch. Ids are the two halves of a UUIDv7.

-- Active jobs (SCHEDULED, QUEUED, RUNNING): the only table the claim query reads.
CREATE TABLE plimsoll_jobs (
  id_hi            BIGINT   NOT NULL,
  id_lo            BIGINT   NOT NULL,
  queue            TEXT     NOT NULL,
  type             TEXT     NOT NULL,
  payload          BYTEA,
  owner            TEXT,
  idem_key         TEXT,
  priority         SMALLINT NOT NULL,
  state            SMALLINT NOT NULL,
  attempts         INT      NOT NULL,
  max_attempts     INT      NOT NULL,
  timeout_ms       BIGINT   NOT NULL,
  created_at       BIGINT   NOT NULL,
  run_at           BIGINT   NOT NULL,
  updated_at       BIGINT   NOT NULL,
  error            TEXT,
  token            BIGINT   NOT NULL DEFAULT 0,
  lease_until      BIGINT,
  lease_node       TEXT,
  cancel_requested BOOLEAN  NOT NULL DEFAULT FALSE,
  PRIMARY KEY (id_hi, id_lo)
) WITH (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.02, autovacuum_vacuum_insert_scale_factor = 0.05);

CREATE INDEX plimsoll_jobs_claim ON plimsoll_jobs (priority DESC, run_at, id_hi, id_lo) WHERE state = 1;
CREATE INDEX plimsoll_jobs_due ON plimsoll_jobs (run_at) WHERE state = 0;
CREATE INDEX plimsoll_jobs_lease ON plimsoll_jobs (lease_until) WHERE state = 2;

-- Finished jobs (SUCCEEDED, DEAD, CANCELLED), bounded by retention.
-- retention_class 0: succeeded and cancelled; 1: dead.
CREATE TABLE plimsoll_finished (
  id_hi            BIGINT   NOT NULL,
  id_lo            BIGINT   NOT NULL,
  queue            TEXT     NOT NULL,
  type             TEXT     NOT NULL,
  payload          BYTEA,
  owner            TEXT,
  idem_key         TEXT,
  priority         SMALLINT NOT NULL,
  state            SMALLINT NOT NULL,
  attempts         INT      NOT NULL,
  max_attempts     INT      NOT NULL,
  timeout_ms       BIGINT   NOT NULL,
  created_at       BIGINT   NOT NULL,
  run_at           BIGINT   NOT NULL,
  updated_at       BIGINT   NOT NULL,
  error            TEXT,
  result           BYTEA,
  retention_class  SMALLINT NOT NULL,
  PRIMARY KEY (id_hi, id_lo)
);

CREATE INDEX plimsoll_finished_retention ON plimsoll_finished (retention_class, updated_at, id_hi, id_lo);

-- Idempotency keys of every held job (active or finished), removed when the job is purged.
-- owner is '' for jobs without an owner.
CREATE TABLE plimsoll_idempotency (
  owner    TEXT   NOT NULL,
  idem_key TEXT   NOT NULL,
  id_hi    BIGINT NOT NULL,
  id_lo    BIGINT NOT NULL,
  PRIMARY KEY (owner, idem_key)
);

-- Pending (SCHEDULED + QUEUED) jobs per queue. An insert updates its queue's row in the same
-- transaction, so the row lock makes the capacity check exact under concurrent inserts.
CREATE TABLE plimsoll_queue_pending (
  queue   TEXT   PRIMARY KEY,
  pending BIGINT NOT NULL
);
