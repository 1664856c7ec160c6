package dev.plimsoll.jdbc.internal;

import dev.plimsoll.JobId;
import dev.plimsoll.JobState;
import dev.plimsoll.spi.CancelResult;
import dev.plimsoll.spi.Completion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies the engine's decisions about running attempts, and user cancels and re-queues. Every
 * write about an attempt is conditioned on its fencing token and on the job still RUNNING, so a
 * stale decision matches no row. Jobs of one batch are written in id order, the same order
 * heartbeats use, so two batches never lock each other's rows crosswise.
 */
public final class Completer {
  private static final String RELEASE_LEASE =
      ", lease_until = NULL, lease_node = NULL, cancel_requested = FALSE";
  private static final String BY_TOKEN =
      " WHERE id_hi = ? AND id_lo = ? AND token = ? AND state = 2 RETURNING queue";

  private final Dialect dialect;
  private final Mover mover;

  public Completer(Dialect dialect, Mover mover) {
    this.dialect = dialect;
    this.mover = mover;
  }

  public boolean[] complete(Connection c, List<Completion> completions) throws SQLException {
    boolean[] applied = new boolean[completions.size()];
    List<Integer> order = new ArrayList<>();
    Set<JobId> seen = new HashSet<>();
    for (int i = 0; i < completions.size(); i++) {
      if (seen.add(completions.get(i).id())) {
        order.add(i); // a second decision about the same job in one batch is stale by definition
      }
    }
    order.sort(Comparator.comparing(i -> completions.get(i).id()));
    List<Integer> finishing = new ArrayList<>();
    List<Mover.Move> moves = new ArrayList<>();
    Map<String, Long> backToPending = new HashMap<>();
    boolean released = false;
    if (retriesOrReleases(completions, order)) {
      dialect.relaxCommit(c); // a batch of moves only relaxes the commit in its own statement
    }
    try (PreparedStatement retry =
            c.prepareStatement(
                "UPDATE plimsoll_jobs SET state = 0, run_at = ?, error = ?, updated_at = ?"
                    + RELEASE_LEASE
                    + BY_TOKEN);
        PreparedStatement release =
            c.prepareStatement(
                "UPDATE plimsoll_jobs SET state = 1, attempts = attempts - 1, updated_at = ?"
                    + RELEASE_LEASE
                    + BY_TOKEN)) {
      for (int i : order) {
        Completion done = completions.get(i);
        JobState next = JobState.RUNNING.checkMove(done.next());
        long at = Codes.micros(done.at());
        String queue;
        if (next == JobState.SCHEDULED) {
          retry.setLong(1, Codes.micros(done.runAt()));
          retry.setString(2, done.error());
          retry.setLong(3, at);
          queue = updateByToken(retry, 4, done);
        } else if (next == JobState.QUEUED) {
          release.setLong(1, at);
          queue = updateByToken(release, 2, done);
          released |= queue != null;
        } else {
          finishing.add(i);
          moves.add(
              new Mover.Move(
                  done.id(), new long[] {done.token()}, next, at, done.error(), done.result()));
          continue;
        }
        if (queue != null) {
          applied[i] = true;
          backToPending.merge(queue, 1L, Long::sum);
        }
      }
    }
    boolean[] moved = mover.moveRunning(c, moves);
    for (int k = 0; k < moved.length; k++) {
      applied[finishing.get(k)] = moved[k];
    }
    PendingCounters.add(c, backToPending);
    if (released) {
      dialect.notifyWork(c);
    }
    return applied;
  }

  private static boolean retriesOrReleases(List<Completion> completions, List<Integer> order) {
    for (int i : order) {
      JobState next = completions.get(i).next();
      if (next == JobState.SCHEDULED || next == JobState.QUEUED) {
        return true;
      }
    }
    return false;
  }

  private static String updateByToken(PreparedStatement ps, int index, Completion done)
      throws SQLException {
    int i = Rows.bindId(ps, index, done.id());
    ps.setLong(i, done.token());
    try (ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  public CancelResult cancel(Connection c, JobId id, String reason, Instant now)
      throws SQLException {
    JobState state;
    String queue;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT state, queue FROM plimsoll_jobs WHERE id_hi = ? AND id_lo = ?"
                + dialect.forUpdate())) {
      Rows.bindId(ps, 1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return finishedExists(c, id) ? CancelResult.ALREADY_FINISHED : CancelResult.NOT_FOUND;
        }
        state = Codes.state(rs.getInt(1));
        queue = rs.getString(2);
      }
    }
    if (state == JobState.RUNNING) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE plimsoll_jobs SET cancel_requested = TRUE"
                  + " WHERE id_hi = ? AND id_lo = ? AND state = 2")) {
        Rows.bindId(ps, 1, id);
        ps.executeUpdate();
      }
      return CancelResult.REQUESTED;
    }
    state.checkMove(JobState.CANCELLED);
    Mover.Move move =
        new Mover.Move(id, new long[0], JobState.CANCELLED, Codes.micros(now), reason, null);
    mover.move(c, "state IN (0, 1)", List.of(move));
    PendingCounters.add(c, Map.of(queue, -1L));
    return CancelResult.CANCELLED;
  }

  private static boolean finishedExists(Connection c, JobId id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM plimsoll_finished WHERE id_hi = ? AND id_lo = ?")) {
      Rows.bindId(ps, 1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  public boolean requeueDead(Connection c, JobId id, Instant now) throws SQLException {
    String queue;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT queue FROM plimsoll_finished WHERE id_hi = ? AND id_lo = ? AND state = 4"
                + dialect.forUpdate())) {
      Rows.bindId(ps, 1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return false;
        }
        queue = rs.getString(1);
      }
    }
    JobState.DEAD.checkMove(JobState.QUEUED);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO plimsoll_jobs (id_hi, id_lo, queue, type, payload, owner, idem_key,"
                + " priority, state, attempts, max_attempts, timeout_ms, created_at, run_at,"
                + " updated_at, error) SELECT id_hi, id_lo, queue, type, payload, owner, idem_key,"
                + " priority, 1, 0, max_attempts, timeout_ms, created_at, ?, ?, error"
                + " FROM plimsoll_finished WHERE id_hi = ? AND id_lo = ? AND state = 4")) {
      ps.setLong(1, Codes.micros(now));
      ps.setLong(2, Codes.micros(now));
      Rows.bindId(ps, 3, id);
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM plimsoll_finished WHERE id_hi = ? AND id_lo = ?")) {
      Rows.bindId(ps, 1, id);
      ps.executeUpdate();
    }
    PendingCounters.reserve(c, queue, 1, Long.MAX_VALUE);
    dialect.notifyWork(c);
    return true;
  }
}
