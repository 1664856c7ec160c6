package dev.plimsoll.jdbc.internal;

import dev.plimsoll.JobId;
import dev.plimsoll.JobState;
import dev.plimsoll.OverflowPolicy;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.QueueFullException;
import dev.plimsoll.spi.InsertResult;
import dev.plimsoll.spi.NewJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Inserts a batch of jobs in the caller's transaction: idempotency keys first (a unique key per
 * owner; a conflict returns the holder's id), then each queue's capacity through {@link
 * PendingCounters}, then the rows. A full queue throws {@link QueueFullException}; the caller's
 * transaction rolls back, so nothing of the batch remains.
 */
public final class Inserter {
  private static final String INSERT =
      "INSERT INTO plimsoll_jobs (id_hi, id_lo, queue, type, payload, owner, idem_key, priority,"
          + " state, attempts, max_attempts, timeout_ms, created_at, run_at, updated_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)";

  /**
   * Batches from this size go in one statement over arrays; smaller ones (a single submit) use the
   * server-side prepared insert, whose cached plan costs less than planning the array statement.
   */
  static final int ARRAY_ROWS = 32;

  private static final String INSERT_ARRAYS =
      "INSERT INTO plimsoll_jobs (id_hi, id_lo, queue, type, payload, owner, idem_key, priority,"
          + " state, attempts, max_attempts, timeout_ms, created_at, run_at, updated_at)"
          + " SELECT hi, lo, q, t, p, o, k, pr, st, 0, ma, tm, ca, ra, ca FROM unnest(?::bigint[],"
          + " ?::bigint[], ?::text[], ?::text[], ?::bytea[], ?::text[], ?::text[], ?::int[],"
          + " ?::int[], ?::int[], ?::bigint[], ?::bigint[], ?::bigint[])"
          + " AS u(hi, lo, q, t, p, o, k, pr, st, ma, tm, ca, ra)";

  private final Dialect dialect;
  private final Mover mover;
  private final Function<String, QueueConfig> queues;
  private final Clock clock;

  public Inserter(Dialect dialect, Mover mover, Function<String, QueueConfig> queues, Clock clock) {
    this.dialect = dialect;
    this.mover = mover;
    this.queues = queues;
    this.clock = clock;
  }

  public List<InsertResult> insert(Connection c, List<NewJob> jobs) throws SQLException {
    InsertResult[] results = new InsertResult[jobs.size()];
    claimIdempotencyKeys(c, jobs, results);
    Map<String, List<Integer>> byQueue = new TreeMap<>();
    for (int i = 0; i < jobs.size(); i++) {
      if (results[i] == null) {
        byQueue.computeIfAbsent(jobs.get(i).queue(), q -> new ArrayList<>()).add(i);
      }
    }
    JobId[] dropped = new JobId[jobs.size()];
    for (Map.Entry<String, List<Integer>> e : byQueue.entrySet()) {
      admit(c, e.getKey(), e.getValue(), dropped);
    }
    boolean ready = false;
    List<NewJob> rows = new ArrayList<>(jobs.size());
    for (int i = 0; i < jobs.size(); i++) {
      if (results[i] != null) {
        continue;
      }
      NewJob job = jobs.get(i);
      rows.add(job);
      ready |= !job.delayed();
      results[i] = new InsertResult(job.id(), false, dropped[i]);
    }
    if (dialect.arrays() && rows.size() >= ARRAY_ROWS) {
      insertByArrays(c, rows);
    } else {
      try (PreparedStatement ps = c.prepareStatement(INSERT)) {
        for (NewJob job : rows) {
          bind(ps, job);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    if (ready) {
      dialect.notifyInserted(c);
    }
    return Arrays.asList(results);
  }

  private void claimIdempotencyKeys(Connection c, List<NewJob> jobs, InsertResult[] results)
      throws SQLException {
    List<Integer> keyed = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      if (jobs.get(i).idempotencyKey() != null) {
        keyed.add(i);
      }
    }
    if (keyed.isEmpty()) {
      return;
    }
    // a stable order of keys keeps concurrent batches from locking each other's keys crosswise
    keyed.sort(
        Comparator.comparing((Integer i) -> owner(jobs.get(i)))
            .thenComparing(i -> jobs.get(i).idempotencyKey()));
    try (PreparedStatement claim =
            c.prepareStatement(
                "INSERT INTO plimsoll_idempotency (owner, idem_key, id_hi, id_lo)"
                    + " VALUES (?, ?, ?, ?) ON CONFLICT (owner, idem_key) DO NOTHING");
        PreparedStatement holder =
            c.prepareStatement(
                "SELECT id_hi, id_lo FROM plimsoll_idempotency WHERE owner = ? AND idem_key = ?")) {
      for (int i : keyed) {
        NewJob job = jobs.get(i);
        claim.setString(1, owner(job));
        claim.setString(2, job.idempotencyKey());
        Rows.bindId(claim, 3, job.id());
        if (claim.executeUpdate() == 1) {
          continue;
        }
        holder.setString(1, owner(job));
        holder.setString(2, job.idempotencyKey());
        try (ResultSet rs = holder.executeQuery()) {
          if (!rs.next()) {
            throw new SQLException(
                "idempotency key of " + job.id() + " conflicts but has no holder");
          }
          results[i] = new InsertResult(new JobId(rs.getLong(1), rs.getLong(2)), true, null);
        }
      }
    }
  }

  private static String owner(NewJob job) {
    return job.owner() == null ? "" : job.owner();
  }

  private void admit(Connection c, String queue, List<Integer> indexes, JobId[] dropped)
      throws SQLException {
    QueueConfig config = queues.apply(queue);
    long n = indexes.size();
    long current = PendingCounters.reserve(c, queue, n, config.capacity());
    if (current < 0) {
      return;
    }
    if (config.overflow() != OverflowPolicy.DROP_OLDEST || n > config.capacity()) {
      throw new QueueFullException(queue, config.capacity());
    }
    long over = current + n - config.capacity();
    List<JobId> evicted = evictOldest(c, queue, over);
    if (evicted.size() < over) {
      throw new QueueFullException(queue, config.capacity(), "; its oldest jobs are being claimed");
    }
    PendingCounters.add(c, Map.of(queue, n - evicted.size()));
    for (int k = 0; k < evicted.size(); k++) {
      dropped[indexes.get(k)] = evicted.get(k);
    }
  }

  private List<JobId> evictOldest(Connection c, String queue, long count) throws SQLException {
    List<JobId> oldest = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id_hi, id_lo FROM plimsoll_jobs WHERE queue = ? AND state IN (0, 1)"
                + " ORDER BY id_hi, id_lo LIMIT ?"
                + dialect.skipLocked())) {
      ps.setString(1, queue);
      ps.setLong(2, count);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          oldest.add(new JobId(rs.getLong(1), rs.getLong(2)));
        }
      }
    }
    long at = Codes.micros(clock.instant());
    List<Mover.Move> moves = new ArrayList<>();
    for (JobId id : oldest) {
      moves.add(new Mover.Move(id, new long[0], JobState.CANCELLED, at, "dropped", null));
    }
    boolean[] moved = mover.move(c, "state IN (0, 1)", moves);
    List<JobId> evicted = new ArrayList<>();
    for (int i = 0; i < moved.length; i++) {
      if (moved[i]) {
        evicted.add(oldest.get(i));
      }
    }
    return evicted;
  }

  /**
   * The rows as one statement with one array per column: the server parses and plans one short
   * statement however many rows there are, where a JDBC batch of inserts (even rewritten into
   * multi-row VALUES) sends and parses a placeholder per value.
   */
  private static void insertByArrays(Connection c, List<NewJob> rows) throws SQLException {
    int n = rows.size();
    Long[] hi = new Long[n];
    Long[] lo = new Long[n];
    String[] queue = new String[n];
    String[] type = new String[n];
    byte[][] payload = new byte[n][];
    String[] owner = new String[n];
    String[] key = new String[n];
    Integer[] priority = new Integer[n];
    Integer[] state = new Integer[n];
    Integer[] maxAttempts = new Integer[n];
    Long[] timeout = new Long[n];
    Long[] created = new Long[n];
    Long[] runAt = new Long[n];
    for (int i = 0; i < n; i++) {
      NewJob job = rows.get(i);
      hi[i] = job.id().msb();
      lo[i] = job.id().lsb();
      queue[i] = job.queue();
      type[i] = job.type();
      payload[i] = job.payload();
      owner[i] = job.owner();
      key[i] = job.idempotencyKey();
      priority[i] = job.priority();
      state[i] = job.delayed() ? Codes.SCHEDULED : Codes.QUEUED;
      maxAttempts[i] = job.maxAttempts();
      timeout[i] = job.timeoutMillis();
      created[i] = Codes.micros(job.createdAt());
      runAt[i] = Codes.micros(job.runAt());
    }
    try (PreparedStatement ps = Rows.customPlan(c.prepareStatement(INSERT_ARRAYS))) {
      ps.setArray(1, c.createArrayOf("bigint", hi));
      ps.setArray(2, c.createArrayOf("bigint", lo));
      ps.setArray(3, c.createArrayOf("text", queue));
      ps.setArray(4, c.createArrayOf("text", type));
      ps.setArray(5, c.createArrayOf("bytea", payload));
      ps.setArray(6, c.createArrayOf("text", owner));
      ps.setArray(7, c.createArrayOf("text", key));
      ps.setArray(8, c.createArrayOf("int4", priority));
      ps.setArray(9, c.createArrayOf("int4", state));
      ps.setArray(10, c.createArrayOf("int4", maxAttempts));
      ps.setArray(11, c.createArrayOf("bigint", timeout));
      ps.setArray(12, c.createArrayOf("bigint", created));
      ps.setArray(13, c.createArrayOf("bigint", runAt));
      ps.executeUpdate();
    }
  }

  private static void bind(PreparedStatement ps, NewJob job) throws SQLException {
    int i = Rows.bindId(ps, 1, job.id());
    ps.setString(i++, job.queue());
    ps.setString(i++, job.type());
    ps.setBytes(i++, job.payload());
    ps.setString(i++, job.owner());
    ps.setString(i++, job.idempotencyKey());
    ps.setInt(i++, job.priority());
    ps.setInt(i++, job.delayed() ? Codes.SCHEDULED : Codes.QUEUED);
    ps.setInt(i++, job.maxAttempts());
    ps.setLong(i++, job.timeoutMillis());
    ps.setLong(i++, Codes.micros(job.createdAt()));
    ps.setLong(i++, Codes.micros(job.runAt()));
    ps.setLong(i, Codes.micros(job.createdAt()));
  }
}
