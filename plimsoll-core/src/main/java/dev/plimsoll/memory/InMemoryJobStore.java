package dev.plimsoll.memory;

import dev.plimsoll.Job;
import dev.plimsoll.JobId;
import dev.plimsoll.JobPage;
import dev.plimsoll.JobQuery;
import dev.plimsoll.JobState;
import dev.plimsoll.OverflowPolicy;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.QueueFullException;
import dev.plimsoll.spi.CancelResult;
import dev.plimsoll.spi.ClaimRequest;
import dev.plimsoll.spi.ClaimedJob;
import dev.plimsoll.spi.Completion;
import dev.plimsoll.spi.HeartbeatResult;
import dev.plimsoll.spi.InsertResult;
import dev.plimsoll.spi.JobStore;
import dev.plimsoll.spi.LeaseRenewal;
import dev.plimsoll.spi.NewJob;
import dev.plimsoll.spi.PurgeResult;
import dev.plimsoll.spi.StoreContext;
import dev.plimsoll.spi.StoreCounts;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded in-memory store, the library's default. Not durable: jobs live as long as the
 * process.
 *
 * <p>Bounds, all enforced at the moment they would be crossed:
 *
 * <ul>
 *   <li>pending (SCHEDULED + QUEUED) jobs per queue: the queue's {@link QueueConfig#capacity()};
 *   <li>SUCCEEDED + CANCELLED jobs: the finished retention count (oldest evicted at completion),
 *       and its age at each purge;
 *   <li>DEAD jobs: the dead retention count (oldest evicted, counted) and age;
 *   <li>RUNNING jobs: bounded by the engine's workers;
 *   <li>the id and idempotency indexes: one entry per held job.
 * </ul>
 *
 * <p>Concurrency: one lock guards every structure; each operation holds it for O(batch) work
 * (claims and completions come in batches), except listing and dead-letter removal, which are
 * O(held jobs) administrative calls.
 */
public final class InMemoryJobStore implements JobStore {
  private static final String DROPPED = "dropped: queue full (DROP_OLDEST)";

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<JobId, MemoryJob> jobs = new HashMap<>();
  private final Map<String, MemoryJob> byIdempotencyKey = new HashMap<>();
  private final Map<String, QueueLanes> queues = new HashMap<>();
  private final List<QueueLanes> queueOrder = new ArrayList<>();
  private final PriorityQueue<MemoryJob> scheduled =
      new PriorityQueue<>(
          Comparator.<MemoryJob>comparingLong(j -> j.runAt).thenComparingLong(j -> j.seq));
  private final ArrayDeque<MemoryJob> finished = new ArrayDeque<>();
  private final ArrayDeque<MemoryJob> dead = new ArrayDeque<>();
  private final long[] countByState = new long[JobState.values().length];

  private StoreContext context;
  private long nextSeq;
  private long nextToken;
  private int roundRobin;
  private long evictedFinished;
  private long evictedDead;

  @Override
  public void open(StoreContext context) {
    this.context = context;
  }

  @Override
  public boolean durable() {
    return false;
  }

  @Override
  public boolean leases() {
    return false;
  }

  @Override
  public List<InsertResult> insert(List<NewJob> newJobs) {
    lock();
    try {
      List<InsertResult> results = new ArrayList<>(newJobs.size());
      checkCapacity(newJobs);
      Map<String, MemoryJob> batchKeys = null;
      for (NewJob n : newJobs) {
        MemoryJob existing = null;
        if (n.idempotencyKey() != null) {
          String slot = MemoryJob.slot(n.owner(), n.idempotencyKey());
          existing = byIdempotencyKey.get(slot);
          if (existing == null && batchKeys != null) {
            existing = batchKeys.get(slot);
          }
        }
        if (existing != null) {
          results.add(new InsertResult(existing.id, true, null));
          continue;
        }
        QueueLanes q = queue(n.queue());
        JobId dropped = null;
        if (q.pending >= q.config.capacity() && q.config.overflow() == OverflowPolicy.DROP_OLDEST) {
          dropped = dropOldest(q, n.createdAt().toEpochMilli());
        }
        MemoryJob job = add(n, q);
        if (job.idempotencyKey != null) {
          if (batchKeys == null) {
            batchKeys = new HashMap<>();
          }
          batchKeys.put(job.idempotencySlot(), job);
        }
        results.add(new InsertResult(job.id, false, dropped));
      }
      return results;
    } finally {
      lock.unlock();
    }
  }

  /** Throws before anything changes if a REJECT/BLOCK queue cannot take its share of the batch. */
  private void checkCapacity(List<NewJob> newJobs) {
    if (newJobs.size() == 1) {
      NewJob n = newJobs.get(0);
      if (n.idempotencyKey() == null
          || !byIdempotencyKey.containsKey(MemoryJob.slot(n.owner(), n.idempotencyKey()))) {
        QueueLanes q = queue(n.queue());
        if (q.pending >= q.config.capacity() && q.config.overflow() != OverflowPolicy.DROP_OLDEST) {
          throw new QueueFullException(q.name, q.config.capacity());
        }
      }
      return;
    }
    Map<String, Integer> added = new HashMap<>();
    Set<String> seenKeys = null;
    for (NewJob n : newJobs) {
      if (n.idempotencyKey() != null) {
        String slot = MemoryJob.slot(n.owner(), n.idempotencyKey());
        if (seenKeys == null) {
          seenKeys = new HashSet<>();
        }
        if (byIdempotencyKey.containsKey(slot) || !seenKeys.add(slot)) {
          continue;
        }
      }
      added.merge(n.queue(), 1, Integer::sum);
    }
    for (Map.Entry<String, Integer> e : added.entrySet()) {
      QueueLanes q = queue(e.getKey());
      long capacity = q.config.capacity();
      boolean drops = q.config.overflow() == OverflowPolicy.DROP_OLDEST;
      if (drops ? e.getValue() > capacity : q.pending + e.getValue() > capacity) {
        throw new QueueFullException(q.name, capacity);
      }
    }
  }

  private MemoryJob add(NewJob n, QueueLanes q) {
    long created = n.createdAt().toEpochMilli();
    MemoryJob job =
        new MemoryJob(
            n.id(),
            q.name,
            n.type(),
            n.payload(),
            n.owner(),
            n.idempotencyKey(),
            n.priority(),
            n.maxAttempts(),
            n.timeoutMillis(),
            created,
            n.runAt().toEpochMilli(),
            nextSeq++);
    jobs.put(job.id, job);
    if (job.idempotencyKey != null) {
      byIdempotencyKey.put(job.idempotencySlot(), job);
    }
    q.pending++;
    if (n.delayed()) {
      job.state = JobState.SCHEDULED;
      scheduled.add(job);
    } else {
      job.state = JobState.QUEUED;
      q.add(job);
    }
    countByState[job.state.ordinal()]++;
    return job;
  }

  private JobId dropOldest(QueueLanes q, long now) {
    MemoryJob victim = q.oldestQueued();
    if (victim != null) {
      q.remove(victim);
    } else {
      for (MemoryJob s : scheduled) {
        if (s.queue.equals(q.name) && (victim == null || s.seq < victim.seq)) {
          victim = s;
        }
      }
      scheduled.remove(victim);
    }
    q.pending--;
    finish(victim, JobState.CANCELLED, null, DROPPED, now);
    return victim.id;
  }

  @Override
  public List<ClaimedJob> claim(ClaimRequest request) {
    lock();
    try {
      List<ClaimedJob> claimed = new ArrayList<>(Math.min(request.max(), 64));
      int n = queueOrder.size();
      long now = request.now().toEpochMilli();
      boolean found = true;
      while (claimed.size() < request.max() && found) {
        found = false;
        for (int i = 0; i < n && claimed.size() < request.max(); i++) {
          QueueLanes q = queueOrder.get((roundRobin + i) % n);
          MemoryJob job = q.pollBest(request.types());
          if (job != null) {
            found = true;
            q.pending--;
            move(job, JobState.RUNNING, now);
            job.attempts++;
            job.token = ++nextToken;
            claimed.add(new ClaimedJob(job.snapshot(), job.token, Instant.MAX));
          }
        }
        if (n > 0) {
          roundRobin = (roundRobin + 1) % n;
        }
      }
      return claimed;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean[] complete(List<Completion> completions) {
    lock();
    try {
      boolean[] applied = new boolean[completions.size()];
      for (int i = 0; i < applied.length; i++) {
        applied[i] = apply(completions.get(i));
      }
      return applied;
    } finally {
      lock.unlock();
    }
  }

  private boolean apply(Completion c) {
    MemoryJob job = jobs.get(c.id());
    if (job == null || job.state != JobState.RUNNING || job.token != c.token()) {
      return false;
    }
    long at = c.at().toEpochMilli();
    switch (c.next()) {
      case SCHEDULED -> {
        move(job, JobState.SCHEDULED, at);
        job.error = c.error();
        job.runAt = c.runAt().toEpochMilli();
        queue(job.queue).pending++;
        scheduled.add(job);
      }
      case QUEUED -> {
        move(job, JobState.QUEUED, at);
        job.attempts = Math.max(0, job.attempts - 1);
        QueueLanes q = queue(job.queue);
        q.pending++;
        q.add(job);
      }
      default -> finish(job, c.next(), c.result(), c.error(), at);
    }
    return true;
  }

  /** Moves a job to SUCCEEDED, CANCELLED or DEAD and applies the count bound at once. */
  private void finish(MemoryJob job, JobState target, byte[] result, String error, long at) {
    move(job, target, at);
    job.result = result;
    job.error = error;
    job.cancelRequested = false;
    if (target == JobState.DEAD) {
      dead.addLast(job);
      while (dead.size() > context.deadRetention().maxCount()) {
        forget(dead.pollFirst());
        evictedDead++;
      }
    } else {
      finished.addLast(job);
      while (finished.size() > context.finishedRetention().maxCount()) {
        forget(finished.pollFirst());
        evictedFinished++;
      }
    }
  }

  private void forget(MemoryJob job) {
    jobs.remove(job.id);
    countByState[job.state.ordinal()]--;
    String slot = job.idempotencySlot();
    if (slot != null && byIdempotencyKey.get(slot) == job) {
      byIdempotencyKey.remove(slot);
    }
  }

  @Override
  public HeartbeatResult heartbeat(List<LeaseRenewal> running, Instant until) {
    lock();
    try {
      Set<JobId> cancel = null;
      for (LeaseRenewal r : running) {
        MemoryJob job = jobs.get(r.id());
        if (job != null && job.token == r.token() && job.cancelRequested) {
          if (cancel == null) {
            cancel = new HashSet<>();
          }
          cancel.add(job.id);
        }
      }
      return cancel == null ? HeartbeatResult.NONE : new HeartbeatResult(Set.of(), cancel);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int promoteDue(Instant now, int max) {
    long nowMs = now.toEpochMilli();
    lock();
    try {
      int promoted = 0;
      while (promoted < max && !scheduled.isEmpty() && scheduled.peek().runAt <= nowMs) {
        MemoryJob job = scheduled.poll();
        move(job, JobState.QUEUED, nowMs);
        queue(job.queue).add(job);
        promoted++;
      }
      return promoted;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<Instant> nextRunAt() {
    lock();
    try {
      MemoryJob next = scheduled.peek();
      return next == null ? Optional.empty() : Optional.of(Instant.ofEpochMilli(next.runAt));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int recoverExpiredLeases(Instant now, int max) {
    return 0;
  }

  @Override
  public Optional<Job> get(JobId id) {
    lock();
    try {
      MemoryJob job = jobs.get(id);
      return job == null ? Optional.empty() : Optional.of(job.snapshot());
    } finally {
      lock.unlock();
    }
  }

  /**
   * Newest first: a bounded heap keeps the {@code limit + 1} newest matches, O(held · log limit).
   */
  @Override
  public JobPage list(JobQuery query) {
    JobId after = query.cursor() == null ? null : JobId.parse(query.cursor());
    int keep = query.limit() + 1;
    PriorityQueue<MemoryJob> newest =
        new PriorityQueue<>(keep, Comparator.comparing((MemoryJob j) -> j.id));
    List<Job> page = new ArrayList<>(keep);
    lock();
    try {
      for (MemoryJob job : jobs.values()) {
        if ((after == null || job.id.compareTo(after) < 0)
            && (query.state() == null || job.state == query.state())
            && (query.type() == null || query.type().equals(job.type))
            && (query.queue() == null || query.queue().equals(job.queue))
            && (query.owner() == null || query.owner().equals(job.owner))) {
          newest.add(job);
          if (newest.size() > keep) {
            newest.poll();
          }
        }
      }
      while (!newest.isEmpty()) {
        page.add(newest.poll().snapshot());
      }
    } finally {
      lock.unlock();
    }
    java.util.Collections.reverse(page);
    if (page.size() <= query.limit()) {
      return new JobPage(page, null);
    }
    List<Job> shown = page.subList(0, query.limit());
    return new JobPage(shown, shown.get(shown.size() - 1).id().toString());
  }

  @Override
  public CancelResult cancel(JobId id, String reason, Instant now) {
    lock();
    try {
      MemoryJob job = jobs.get(id);
      if (job == null) {
        return CancelResult.NOT_FOUND;
      }
      switch (job.state) {
        case QUEUED -> queue(job.queue).remove(job);
        case SCHEDULED -> scheduled.remove(job);
        case RUNNING -> {
          job.cancelRequested = true;
          job.error = reason;
          return CancelResult.REQUESTED;
        }
        default -> {
          return CancelResult.ALREADY_FINISHED;
        }
      }
      queue(job.queue).pending--;
      finish(job, JobState.CANCELLED, null, reason, now.toEpochMilli());
      return CancelResult.CANCELLED;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Job> cancelPending(String reason, Instant now, int max) {
    lock();
    try {
      List<MemoryJob> victims = new ArrayList<>();
      for (QueueLanes q : queueOrder) {
        MemoryJob job;
        while (victims.size() < max && (job = q.oldestQueued()) != null) {
          q.remove(job);
          q.pending--;
          victims.add(job);
        }
      }
      while (victims.size() < max && !scheduled.isEmpty()) {
        MemoryJob job = scheduled.poll();
        queue(job.queue).pending--;
        victims.add(job);
      }
      List<Job> out = new ArrayList<>(victims.size());
      for (MemoryJob job : victims) {
        finish(job, JobState.CANCELLED, null, reason, now.toEpochMilli());
        out.add(job.snapshot());
      }
      return out;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean requeueDead(JobId id, Instant now) {
    lock();
    try {
      MemoryJob job = jobs.get(id);
      if (job == null || job.state != JobState.DEAD) {
        return false;
      }
      QueueLanes q = queue(job.queue);
      if (q.pending >= q.config.capacity()) {
        throw new QueueFullException(q.name, q.config.capacity());
      }
      dead.remove(job);
      move(job, JobState.QUEUED, now.toEpochMilli());
      job.attempts = 0;
      job.error = null;
      q.pending++;
      q.add(job);
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean deleteDead(JobId id) {
    lock();
    try {
      MemoryJob job = jobs.get(id);
      if (job == null || job.state != JobState.DEAD) {
        return false;
      }
      dead.remove(job);
      forget(job);
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long purgeDead() {
    lock();
    try {
      long n = dead.size();
      while (!dead.isEmpty()) {
        forget(dead.pollFirst());
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public PurgeResult purge(Instant now, int batch) {
    long nowMs = now.toEpochMilli();
    lock();
    try {
      long finishedCut = nowMs - context.finishedRetention().maxAge().toMillis();
      long deadCut = nowMs - context.deadRetention().maxAge().toMillis();
      int budget = batch;
      long f = evictedFinished;
      long d = evictedDead;
      evictedFinished = 0;
      evictedDead = 0;
      while (budget > 0 && !finished.isEmpty() && finished.peekFirst().updatedAt < finishedCut) {
        forget(finished.pollFirst());
        f++;
        budget--;
      }
      while (budget > 0 && !dead.isEmpty() && dead.peekFirst().updatedAt < deadCut) {
        forget(dead.pollFirst());
        d++;
        budget--;
      }
      boolean more =
          budget == 0
              && ((!finished.isEmpty() && finished.peekFirst().updatedAt < finishedCut)
                  || (!dead.isEmpty() && dead.peekFirst().updatedAt < deadCut));
      return new PurgeResult(f, d, more);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public StoreCounts counts() {
    lock();
    try {
      Map<JobState, Long> byState = new EnumMap<>(JobState.class);
      for (JobState s : JobState.values()) {
        byState.put(s, countByState[s.ordinal()]);
      }
      Map<String, Long> pending = new HashMap<>();
      for (QueueLanes q : queueOrder) {
        pending.put(q.name, q.pending);
      }
      return new StoreCounts(byState, pending);
    } finally {
      lock.unlock();
    }
  }

  /** Jobs of any state held now (the engine's own count, for leak tests). */
  public int size() {
    lock();
    try {
      return jobs.size();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    // Nothing to release: the engine cancels in-memory work at shutdown.
  }

  /**
   * Takes the store lock, spinning briefly first: hold times are a few hundred nanoseconds, and
   * parking a thread (then unparking it on release) costs more than that.
   */
  private void lock() {
    if (lock.tryLock()) {
      return;
    }
    for (int i = 0; i < 64; i++) {
      Thread.onSpinWait();
      if (lock.tryLock()) {
        return;
      }
    }
    lock.lock();
  }

  private void move(MemoryJob job, JobState target, long now) {
    countByState[job.state.ordinal()]--;
    job.moveTo(target, now);
    countByState[target.ordinal()]++;
  }

  private QueueLanes queue(String name) {
    QueueLanes q = queues.get(name);
    if (q == null) {
      q = new QueueLanes(name, context.queues().apply(name));
      queues.put(name, q);
      queueOrder.add(q);
    }
    return q;
  }
}
