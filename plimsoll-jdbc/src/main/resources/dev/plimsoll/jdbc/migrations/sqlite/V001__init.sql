-- Plimsoll schema version 1 (SQLite).
-- State codes: 0 SCHEDULED, 1 QUEUED, 2 RUNNING, 3 SUCCEEDED, 4 DEAD, 5 CANCELLED.
-- Timestamps are microseconds since the Unix epoch. Ids are the two halves of a UUIDv7.

-- Active jobs (SCHEDULED, QUEUED, RUNNING): the only table the claim query reads.
CREATE TABLE plimsoll_jobs (
  id_hi            INTEGER  NOT NULL,
  id_lo            INTEGER  NOT NULL,
  queue            TEXT     NOT NULL,
  type             TEXT     NOT NULL,
  payload          BLOB,
  owner            TEXT,
  idem_key         TEXT,
  priority         INTEGER  NOT NULL,
  state            INTEGER  NOT NULL,
  attempts         INTEGER  NOT NULL,
  max_attempts     INTEGER  NOT NULL,
  timeout_ms       INTEGER  NOT NULL,
  created_at       INTEGER  NOT NULL,
  run_at           INTEGER  NOT NULL,
  updated_at       INTEGER  NOT NULL,
  error            TEXT,
  token            INTEGER  NOT NULL DEFAULT 0,
  lease_until      INTEGER,
  lease_node       TEXT,
  cancel_requested INTEGER  NOT NULL DEFAULT 0,
  PRIMARY KEY (id_hi, id_lo)
);

CREATE INDEX plimsoll_jobs_claim ON plimsoll_jobs (priority DESC, run_at, id_hi, id_lo) WHERE state = 1;
CREATE INDEX plimsoll_jobs_due ON plimsoll_jobs (run_at) WHERE state = 0;
CREATE INDEX plimsoll_jobs_lease ON plimsoll_jobs (lease_until) WHERE state = 2;

-- Finished jobs (SUCCEEDED, DEAD, CANCELLED), bounded by retention.
-- retention_class 0: succeeded and cancelled; 1: dead.
CREATE TABLE plimsoll_finished (
  id_hi            INTEGER  NOT NULL,
  id_lo            INTEGER  NOT NULL,
  queue            TEXT     NOT NULL,
  type             TEXT     NOT NULL,
  payload          BLOB,
  owner            TEXT,
  idem_key         TEXT,
  priority         INTEGER  NOT NULL,
  state            INTEGER  NOT NULL,
  attempts         INTEGER  NOT NULL,
  max_attempts     INTEGER  NOT NULL,
  timeout_ms       INTEGER  NOT NULL,
  created_at       INTEGER  NOT NULL,
  run_at           INTEGER  NOT NULL,
  updated_at       INTEGER  NOT NULL,
  error            TEXT,
  result           BLOB,
  retention_class  INTEGER  NOT NULL,
  PRIMARY KEY (id_hi, id_lo)
);

CREATE INDEX plimsoll_finished_retention ON plimsoll_finished (retention_class, updated_at, id_hi, id_lo);

-- Idempotency keys of every held job (active or finished), removed when the job is purged.
-- owner is '' for jobs without an owner.
CREATE TABLE plimsoll_idempotency (
  owner    TEXT   NOT NULL,
  idem_key TEXT   NOT NULL,
  id_hi    INTEGERNOT NULL,
  id_lo    INTEGERNOT NULL,
  PRIMARY KEY (owner, idem_key)
);

-- Pending (SCHEDULED + QUEUED) jobs per queue. An insert updates its queue's row in the same
-- transaction, so the row lock makes the capacity check exact under concurrent inserts.
CREATE TABLE plimsoll_queue_pending (
  queue   TEXT   PRIMARY KEY,
  pending INTEGERNOT NULL
);
