package dev.plimsoll.engine;

import static dev.plimsoll.engine.Engines.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.EngineBuilder;
import dev.plimsoll.JobEvent;
import dev.plimsoll.JobId;
import dev.plimsoll.JobRequest;
import dev.plimsoll.JobState;
import dev.plimsoll.QueueConfig;
import dev.plimsoll.QueueFullException;
import dev.plimsoll.SettableClock;
import dev.plimsoll.StoreUnavailableException;
import dev.plimsoll.internal.engine.Engine;
import dev.plimsoll.memory.InMemoryJobStore;
import dev.plimsoll.spi.ForwardingJobStore;
import dev.plimsoll.spi.InsertResult;
import dev.plimsoll.spi.NewJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit of concurrent single submits. Batches of known shape come from a store whose insert
 * waits on a gate: the first submit holds the lead inside the store while the others queue behind
 * it ({@link Engine#combiningSubmits()}), then the gate opens and they share the next insert.
 */
class SubmitCombinerTest {
  private final SettableClock clock = SettableClock.atFixedStart();
  private GatedStore store = new GatedStore();
  private final List<JobEvent> events = new CopyOnWriteArrayList<>();
  private final List<Submitter> submitters = new ArrayList<>();
  private Engine engine;

  @AfterEach
  void close() throws InterruptedException {
    store.open();
    for (Submitter s : submitters) {
      s.join(TimeUnit.SECONDS.toMillis(30));
    }
    if (engine != null) {
      engine.close();
    }
  }

  private Engine engine(int submitBatch) {
    EngineBuilder b =
        Engines.builder(clock)
            .store(store)
            .acceptTypesWithoutHandler(true)
            .queue("small", QueueConfig.reject(1))
            .queue("blocking", QueueConfig.block(1, Duration.ofMillis(10)))
            .listener(events::add);
    if (submitBatch > 0) {
      b.submitBatch(submitBatch);
    }
    engine = (Engine) b.build();
    return engine;
  }

  @Test
  void concurrentSubmitsShareOneInsertAndEachCallerGetsItsOwnId() throws Exception {
    engine(0);
    Submitter a = leaderHeldInTheStore(job("t"));
    List<Submitter> queued = queueBehind(job("t"), job("t"), job("t"));
    store.open();

    List<JobId> ids = new ArrayList<>();
    ids.add(a.id());
    for (Submitter s : queued) {
      ids.add(s.id());
    }
    assertThat(ids).doesNotHaveDuplicates().doesNotContainNull();
    assertThat(store.sizes).containsExactly(1, 3);
    for (JobId id : ids) {
      assertThat(engine.get(id)).get().extracting(j -> j.state()).isEqualTo(JobState.QUEUED);
    }
    assertThat(engine.stats().totalQueued()).isEqualTo(4);
    assertThat(events.stream().filter(e -> e.kind() == JobEvent.Kind.SUBMITTED).map(JobEvent::id))
        .containsExactlyInAnyOrderElementsOf(ids);
    assertThat(engine.combiningSubmits()).isZero();
  }

  @Test
  void anUncontendedSubmitGoesStraightToTheStoreAlone() {
    engine(0);
    JobId id = engine.submit(job("t"));
    assertThat(store.sizes).containsExactly(1);
    assertThat(engine.get(id)).isPresent();
  }

  @Test
  void aBatchIsCappedAtSubmitBatchAndTheQueueHoldsOnlyTheWaitingCallers() throws Exception {
    engine(4);
    Submitter a = leaderHeldInTheStore(job("t"));
    JobRequest[] ten = new JobRequest[10];
    java.util.Arrays.fill(ten, job("t"));
    List<Submitter> queued = queueBehind(ten);
    assertThat(engine.combiningSubmits()).isEqualTo(10);
    store.open();

    a.id();
    for (Submitter s : queued) {
      assertThat(s.id()).isNotNull();
    }
    assertThat(store.sizes).containsExactly(1, 4, 4, 2);
    assertThat(engine.combiningSubmits()).isZero();
    assertThat(engine.stats().totalQueued()).isEqualTo(11);
  }

  @Test
  void aFullQueueInABatchRefusesOnlyItsOwnCaller() throws Exception {
    engine(0);
    engine.submit(job("t", "small"));
    engine.submit(job("t", "blocking"));
    Submitter a = leaderHeldInTheStore(job("t"));
    List<Submitter> q = queueBehind(job("t"), job("t", "small"), job("t", "blocking"), job("t"));
    store.open();

    a.id();
    JobId first = q.get(0).id();
    JobId last = q.get(3).id();
    assertThat(q.get(1).failure()).isInstanceOf(QueueFullException.class);
    assertThat(q.get(2).failure())
        .isInstanceOf(QueueFullException.class)
        .hasMessageContaining("BLOCK timeout");
    assertThat(engine.get(first)).isPresent();
    assertThat(engine.get(last)).isPresent();
    // the combined insert of four, then each of the four alone (BLOCK retries until its timeout)
    assertThat(store.sizes.subList(0, 4)).containsExactly(1, 1, 1, 4);
    assertThat(store.sizes.subList(4, store.sizes.size()))
        .hasSizeGreaterThanOrEqualTo(4)
        .containsOnly(1);
    assertThat(engine.stats().totalRejected()).isEqualTo(2);
    assertThat(engine.stats().totalQueued()).isEqualTo(5);
    assertThat(rejectedQueues()).containsExactlyInAnyOrder("small", "blocking");
  }

  @Test
  void aStoreFailureReachesOnlyTheCallersOfThatBatchAndChangesNothing() throws Exception {
    engine(0);
    Submitter a = leaderHeldInTheStore(job("t"));
    store.failNext.set(4); // the combined insert and each of its three callers alone
    List<Submitter> q = queueBehind(job("u"), job("u"), job("u"));
    store.open();

    JobId held = a.id();
    for (Submitter s : q) {
      assertThat(s.failure()).isInstanceOf(StoreUnavailableException.class);
    }
    JobId after = engine.submit(job("t"));
    assertThat(store.counts().count(JobState.QUEUED)).isEqualTo(2);
    assertThat(engine.get(held)).isPresent();
    assertThat(engine.get(after)).isPresent();
    assertThat(engine.stats().totalRejected()).isEqualTo(3);
    assertThat(engine.stats().totalQueued()).isEqualTo(2);
    assertThat(events.stream().filter(e -> e.kind() == JobEvent.Kind.REJECTED).count())
        .isEqualTo(3);
  }

  @Test
  void aJobTheStoreRefusesFailsOnlyItsCallerInTheBatch() throws Exception {
    engine(0);
    store.refusedType = "doomed";
    Submitter a = leaderHeldInTheStore(job("t"));
    List<Submitter> q = queueBehind(job("t"), job("doomed"), job("t"));
    store.open();

    a.id();
    assertThat(q.get(0).id()).isNotNull();
    assertThat(q.get(1).failure()).isInstanceOf(StoreUnavailableException.class);
    assertThat(q.get(2).id()).isNotNull();
    assertThat(store.counts().count(JobState.QUEUED)).isEqualTo(3);
    assertThat(engine.stats().totalRejected()).isEqualTo(1);
  }

  @Test
  void duplicateIdempotencyKeysInOneBatchGiveOneJobAndTheSameId() throws Exception {
    engine(0);
    Submitter a = leaderHeldInTheStore(job("t"));
    List<Submitter> q = queueBehind(keyed("acme", "k"), keyed("acme", "k"), keyed("other", "k"));
    store.open();

    a.id();
    assertThat(q.get(0).id()).isEqualTo(q.get(1).id());
    assertThat(q.get(2).id()).isNotEqualTo(q.get(0).id());
    assertThat(store.sizes).containsExactly(1, 3);
    assertThat(store.counts().count(JobState.QUEUED)).isEqualTo(3);
    assertThat(engine.stats().totalQueued()).isEqualTo(3);
    assertThat(events.stream().filter(e -> e.kind() == JobEvent.Kind.SUBMITTED).count())
        .isEqualTo(3);
  }

  @Test
  void countersAndEventsEqualThoseOfTheUncombinedPath() throws Exception {
    JobRequest[] mixed = {
      job("t"), job("t", "small"), keyed("acme", "k"), keyed("acme", "k"), job("doomed"), job("t")
    };
    store.refusedType = "doomed";

    engine(0);
    engine.submit(job("t", "small"));
    Submitter a = leaderHeldInTheStore(job("t"));
    List<Submitter> q = queueBehind(mixed);
    store.open();
    a.id();
    for (Submitter s : q) {
      s.join();
    }
    assertThat(store.sizes).contains(mixed.length);
    Map<String, Long> combined = tally();
    long[] combinedCounts = {engine.stats().totalQueued(), engine.stats().totalRejected()};
    engine.close();

    events.clear();
    store = new GatedStore();
    store.refusedType = "doomed";
    engine(1);
    engine.submit(job("t", "small"));
    engine.submit(job("t"));
    for (JobRequest r : mixed) {
      try {
        engine.submit(r);
      } catch (QueueFullException | StoreUnavailableException expected) {
        // counted below
      }
    }
    assertThat(tally()).isEqualTo(combined);
    assertThat(new long[] {engine.stats().totalQueued(), engine.stats().totalRejected()})
        .isEqualTo(combinedCounts);
    assertThat(combinedCounts).containsExactly(5, 2);
  }

  @Test
  void submitBatchOfOneDisablesCombining() throws Exception {
    engine(1);
    Submitter a = leaderHeldInTheStore(job("t"));
    store.gate = null; // later inserts pass; the first stays held
    List<Submitter> others = List.of(start(job("t")), start(job("t")), start(job("t")));
    for (Submitter s : others) {
      assertThat(s.id()).isNotNull();
    }
    assertThat(a.result).isNotDone();
    assertThat(engine.combiningSubmits()).isZero();
    store.first.countDown();
    assertThat(a.id()).isNotNull();
    assertThat(store.sizes).containsExactly(1, 1, 1, 1);
  }

  @Test
  void anInterruptedCallerStillLearnsItsOutcomeAndKeepsItsInterrupt() throws Exception {
    engine(0);
    Submitter a = leaderHeldInTheStore(job("t"));
    List<Submitter> q = queueBehind(job("t"), job("t"));
    q.get(0).interrupt(); // interrupted while queued: it will lead the next batch
    CountDownLatch second = new CountDownLatch(1);
    store.gate = second;
    store.first.countDown();
    await().until(() -> store.entered.get() == 2);
    q.get(1).interrupt(); // interrupted while its job is in the leader's insert
    second.countDown();

    a.id();
    for (Submitter s : q) {
      assertThat(engine.get(s.id())).isPresent();
      assertThat(s.interruptedAfter).isTrue();
    }
    assertThat(store.sizes).containsExactly(1, 2);
  }

  @Test
  void submitBatchOutsideItsRangeIsRefusedByName() {
    assertThatThrownBy(() -> Engines.builder(clock).submitBatch(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("submitBatch")
        .hasMessageContaining("1000");
    assertThatThrownBy(() -> Engines.builder(clock).submitBatch(1_001))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("submitBatch")
        .hasMessageContaining("1001");
  }

  // ------------------------------------------------------------------ helpers

  private static JobRequest job(String type) {
    return JobRequest.of(type, bytes("x"));
  }

  private static JobRequest job(String type, String queue) {
    return JobRequest.builder(type).payload(bytes("x")).queue(queue).build();
  }

  private static JobRequest keyed(String owner, String key) {
    return JobRequest.builder("t").payload(bytes("x")).owner(owner).idempotencyKey(key).build();
  }

  private List<String> rejectedQueues() {
    return events.stream()
        .filter(e -> e.kind() == JobEvent.Kind.REJECTED)
        .map(JobEvent::queue)
        .collect(Collectors.toList());
  }

  /** Events by kind, type and queue (ids differ between runs). */
  private Map<String, Long> tally() {
    return events.stream()
        .collect(
            Collectors.groupingBy(
                e -> e.kind() + " " + e.type() + " " + e.queue(), Collectors.counting()));
  }

  /** Starts a submit whose insert the store holds until {@code store.open()}. */
  private Submitter leaderHeldInTheStore(JobRequest r) {
    int before = store.entered.get();
    store.gate = store.first;
    Submitter a = start(r);
    await().until(() -> store.entered.get() == before + 1);
    return a;
  }

  /** Starts submits one by one, each queued behind the held insert before the next starts. */
  private List<Submitter> queueBehind(JobRequest... requests) {
    List<Submitter> out = new ArrayList<>();
    int base = engine.combiningSubmits();
    for (JobRequest r : requests) {
      out.add(start(r));
      int expected = base + out.size();
      await().until(() -> engine.combiningSubmits() == expected);
    }
    return out;
  }

  private Submitter start(JobRequest r) {
    Submitter s = new Submitter(r);
    submitters.add(s);
    s.start();
    return s;
  }

  private final class Submitter extends Thread {
    final JobRequest request;
    final CompletableFuture<JobId> result = new CompletableFuture<>();
    volatile boolean interruptedAfter;

    Submitter(JobRequest request) {
      super("test-submitter");
      this.request = request;
    }

    @Override
    public void run() {
      JobId id = null;
      Throwable failure = null;
      try {
        id = engine.submit(request);
      } catch (Throwable t) {
        failure = t;
      }
      interruptedAfter = isInterrupted(); // before the result: readers see it once it is done
      if (failure == null) {
        result.complete(id);
      } else {
        result.completeExceptionally(failure);
      }
    }

    JobId id() throws Exception {
      return result.get(30, TimeUnit.SECONDS);
    }

    Throwable failure() throws Exception {
      try {
        result.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        return e.getCause();
      }
      throw new AssertionError("submit of " + request.type() + " was accepted");
    }
  }

  /**
   * An in-memory store that records insert sizes, holds inserts on {@link #gate} while it is set,
   * fails the next {@link #failNext} inserts, and fails any insert holding {@link #refusedType}.
   */
  private static final class GatedStore extends ForwardingJobStore {
    final List<Integer> sizes = new CopyOnWriteArrayList<>();
    final AtomicInteger entered = new AtomicInteger();
    final AtomicInteger failNext = new AtomicInteger();
    final CountDownLatch first = new CountDownLatch(1);
    volatile CountDownLatch gate;
    volatile String refusedType;

    GatedStore() {
      super(new InMemoryJobStore());
    }

    /** Combining is for durable stores (an insert is a transaction there); this one stands in. */
    @Override
    public boolean durable() {
      return true;
    }

    /** Lets every insert through. */
    void open() {
      gate = null;
      first.countDown();
    }

    @Override
    public List<InsertResult> insert(List<NewJob> jobs) {
      sizes.add(jobs.size());
      boolean fail = failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
      entered.incrementAndGet();
      CountDownLatch g = gate;
      if (g != null) {
        awaitUninterruptibly(g);
      }
      String refused = refusedType;
      if (fail || jobs.stream().map(NewJob::type).anyMatch(t -> t.equals(refused))) {
        throw new StoreUnavailableException("test store refuses the insert", null);
      }
      return delegate.insert(jobs);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
      boolean interrupted = false;
      while (true) {
        try {
          latch.await();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
