package dev.plimsoll.redis.internal;

import dev.plimsoll.Job;
import dev.plimsoll.JobId;
import dev.plimsoll.JobPage;
import dev.plimsoll.JobQuery;
import dev.plimsoll.JobState;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Lists jobs newest first. Pending jobs are read page-wise from the per-queue lexicographic sets
 * (id order); running and finished jobs from their sets, which are bounded by the number of workers
 * and by retention. Not atomic: a job changing state during the call may be missed or seen once,
 * like a read-committed SQL query.
 */
public final class Lister {
  private static final int MAX_WINDOW = 100_000;
  private final RedisCommands<byte[], byte[]> redis;
  private final Keys keys;

  public Lister(RedisCommands<byte[], byte[]> redis, Keys keys) {
    this.redis = redis;
    this.keys = keys;
  }

  public JobPage list(JobQuery query) {
    byte[] cursor = query.cursor() == null ? null : Ids.bytes(JobId.parse(query.cursor()));
    int window = Math.max(64, query.limit() * 4);
    while (true) {
      boolean truncated = false;
      TreeSet<byte[]> candidates = new TreeSet<>((a, b) -> Ids.compare(b, a));
      if (query.state() == null || query.state().isPending()) {
        List<byte[]> queues =
            query.queue() != null
                ? List.of(Args.utf8(query.queue()))
                : new ArrayList<>(redis.smembers(keys.queues()));
        for (byte[] q : queues) {
          Range<byte[]> range =
              cursor == null
                  ? Range.unbounded()
                  : Range.from(Range.Boundary.unbounded(), Range.Boundary.excluding(cursor));
          List<byte[]> ids = redis.zrevrangebylex(keys.pending(q), range, Limit.create(0, window));
          truncated |= ids.size() == window;
          candidates.addAll(ids);
        }
      }
      for (JobState s :
          List.of(JobState.RUNNING, JobState.SUCCEEDED, JobState.CANCELLED, JobState.DEAD)) {
        if (query.state() == null || query.state() == s) {
          byte[] key = s == JobState.RUNNING ? keys.running() : keys.finished(s);
          for (byte[] id : redis.zrange(key, 0, -1)) {
            if (cursor == null || Ids.compare(id, cursor) < 0) {
              candidates.add(id);
            }
          }
        }
      }
      List<Job> page = new ArrayList<>();
      for (byte[] id : candidates) {
        Map<byte[], byte[]> raw = redis.hgetall(keys.job(id));
        if (raw.isEmpty()) {
          continue;
        }
        Job job = Records.job(Ids.id(id), Records.fromMap(raw));
        if (query.matches(job)) {
          page.add(job);
          if (page.size() == query.limit()) {
            return new JobPage(page, job.id().toString());
          }
        }
      }
      if (!truncated || window >= MAX_WINDOW) {
        return new JobPage(page, null);
      }
      window *= 4;
    }
  }
}
