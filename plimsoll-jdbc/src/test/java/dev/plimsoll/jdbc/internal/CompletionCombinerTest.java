package dev.plimsoll.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.JobId;
import dev.plimsoll.StoreUnavailableException;
import dev.plimsoll.spi.Completion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The group commit of completion batches, against a recording stand-in for the store's write: the
 * real write (the SQL) is covered by the store behaviour and concurrency tests.
 */
class CompletionCombinerTest {
  static final Instant AT = Instant.parse("2026-12-02T00:00:00Z");

  final ExecutorService pool = Executors.newCachedThreadPool();
  final List<List<Completion>> writes = new CopyOnWriteArrayList<>();
  long nextId = 1;

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  /** A batch of {@code n} completions of new jobs; odd tokens are the ones the write applies. */
  List<Completion> batch(int n, long firstToken) {
    List<Completion> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      batch.add(Completion.succeeded(new JobId(0, nextId++), firstToken + i, null, AT));
    }
    return batch;
  }

  /** Records each write and applies the completions with an odd token. */
  boolean[] oddTokens(List<Completion> all) {
    writes.add(List.copyOf(all));
    boolean[] applied = new boolean[all.size()];
    for (int i = 0; i < applied.length; i++) {
      applied[i] = all.get(i).token() % 2 == 1;
    }
    return applied;
  }

  static boolean[] expected(List<Completion> batch) {
    boolean[] applied = new boolean[batch.size()];
    for (int i = 0; i < applied.length; i++) {
      applied[i] = batch.get(i).token() % 2 == 1;
    }
    return applied;
  }

  /** A write that blocks its first call until {@code release} opens, recording every call. */
  Function<List<Completion>, boolean[]> blockingFirst(
      CountDownLatch entered, CountDownLatch release) {
    return all -> {
      boolean first = writes.isEmpty();
      boolean[] applied = oddTokens(all);
      if (first) {
        entered.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return applied;
    };
  }

  @Test
  void aCallerAloneWritesItsBatchAtOnceInOneCall() {
    CompletionCombiner combiner = new CompletionCombiner(this::oddTokens, 100);
    List<Completion> mine = batch(5, 1);

    assertThat(combiner.complete(mine)).isEqualTo(expected(mine));
    assertThat(writes).containsExactly(mine);
    assertThat(combiner.queued()).isZero();
  }

  @Test
  void batchesArrivingDuringAWriteAreWrittenTogetherAndEachCallerGetsItsOwnSlice()
      throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletionCombiner combiner = new CompletionCombiner(blockingFirst(entered, release), 100);
    List<Completion> first = batch(3, 1);
    Future<boolean[]> leader = pool.submit(() -> combiner.complete(first));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    List<List<Completion>> later = List.of(batch(4, 2), batch(1, 1), batch(6, 1));
    List<Future<boolean[]>> waiting = new ArrayList<>();
    for (List<Completion> b : later) {
      waiting.add(pool.submit(() -> combiner.complete(b)));
    }
    await().atMost(10, TimeUnit.SECONDS).until(() -> combiner.queued() == 3);

    release.countDown();

    assertThat(leader.get(10, TimeUnit.SECONDS)).isEqualTo(expected(first));
    for (int i = 0; i < later.size(); i++) {
      assertThat(waiting.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(expected(later.get(i)));
    }
    assertThat(writes).hasSize(2);
    assertThat(writes.get(1)).hasSize(11).containsExactlyInAnyOrderElementsOf(flatten(later));
    assertThat(combiner.queued()).isZero();
  }

  @Test
  void aBatchThatNamesAJobAlreadyTakenWaitsForTheNextWrite() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletionCombiner combiner = new CompletionCombiner(blockingFirst(entered, release), 100);
    Future<boolean[]> leader = pool.submit(() -> combiner.complete(batch(1, 1)));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    List<Completion> fresh = batch(2, 1);
    JobId shared = fresh.get(0).id();
    // the same job decided twice: an attempt that lost its lease, and the one that re-claimed it
    List<Completion> stale = List.of(Completion.succeeded(shared, 2, null, AT));
    Future<boolean[]> a = pool.submit(() -> combiner.complete(fresh));
    await().atMost(10, TimeUnit.SECONDS).until(() -> combiner.queued() == 1);
    Future<boolean[]> b = pool.submit(() -> combiner.complete(stale));
    await().atMost(10, TimeUnit.SECONDS).until(() -> combiner.queued() == 2);

    release.countDown();

    leader.get(10, TimeUnit.SECONDS);
    assertThat(a.get(10, TimeUnit.SECONDS)).containsExactly(true, false);
    assertThat(b.get(10, TimeUnit.SECONDS)).containsExactly(false);
    assertThat(writes).hasSize(3);
    assertThat(writes.get(1)).isEqualTo(fresh);
    assertThat(writes.get(2)).isEqualTo(stale);
  }

  @Test
  void aCombinedWriteHoldsAtMostMaxJobsCompletions() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletionCombiner combiner = new CompletionCombiner(blockingFirst(entered, release), 10);
    Future<boolean[]> leader = pool.submit(() -> combiner.complete(batch(1, 1)));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    List<Future<boolean[]>> waiting = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      List<Completion> b = batch(4, 1);
      waiting.add(pool.submit(() -> combiner.complete(b)));
      int queued = i + 1;
      await().atMost(10, TimeUnit.SECONDS).until(() -> combiner.queued() == queued);
    }

    release.countDown();

    leader.get(10, TimeUnit.SECONDS);
    for (Future<boolean[]> f : waiting) {
      assertThat(f.get(10, TimeUnit.SECONDS)).containsExactly(true, false, true, false);
    }
    // 20 completions in batches of 4 under a limit of 10: 8, 8 and 4
    assertThat(writes.subList(1, writes.size())).extracting(List::size).containsExactly(8, 8, 4);
  }

  @Test
  void whenACombinedWriteFailsEachCallerWritesAloneAndGetsItsOwnOutcome() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Function<List<Completion>, boolean[]> blocking = blockingFirst(entered, release);
    List<Completion> poisoned = batch(2, 1);
    JobId poison = poisoned.get(1).id();
    CompletionCombiner combiner =
        new CompletionCombiner(
            all -> {
              if (all.stream().anyMatch(c -> c.id().equals(poison))) {
                writes.add(List.copyOf(all));
                throw new StoreUnavailableException("store failed to complete jobs: poison", null);
              }
              return blocking.apply(all);
            },
            100);
    Future<boolean[]> leader = pool.submit(() -> combiner.complete(batch(1, 1)));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    List<Completion> healthy = batch(3, 1);
    Future<boolean[]> good = pool.submit(() -> combiner.complete(healthy));
    await().atMost(10, TimeUnit.SECONDS).until(() -> combiner.queued() == 1);
    Future<boolean[]> bad = pool.submit(() -> combiner.complete(poisoned));
    await().atMost(10, TimeUnit.SECONDS).until(() -> combiner.queued() == 2);

    release.countDown();

    leader.get(10, TimeUnit.SECONDS);
    assertThat(good.get(10, TimeUnit.SECONDS)).isEqualTo(expected(healthy));
    assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("poison");
    // the combined write, then each batch alone (in either order)
    assertThat(writes.get(1)).hasSize(5);
    assertThat(writes.subList(2, writes.size())).containsExactlyInAnyOrder(healthy, poisoned);
  }

  @Test
  void aFailedWriteOfOneBatchIsRethrownWithoutWritingAgain() {
    CompletionCombiner combiner =
        new CompletionCombiner(
            all -> {
              writes.add(all);
              throw new StoreUnavailableException("store failed to complete jobs: down", null);
            },
            100);

    assertThatThrownBy(() -> combiner.complete(batch(2, 1)))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("down");
    assertThat(writes).hasSize(1);
    // the lead was given up: the next caller writes at once
    assertThatThrownBy(() -> combiner.complete(batch(1, 1)))
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(writes).hasSize(2);
  }

  @Test
  void manyCallersAtOnceEachGetExactlyTheirOwnOutcomes() throws Exception {
    CompletionCombiner combiner = new CompletionCombiner(this::oddTokens, 50);
    List<CompletableFuture<Void>> all = new ArrayList<>();
    int total = 0;
    for (int t = 0; t < 8; t++) {
      List<List<Completion>> mine = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        mine.add(batch(1 + i % 7, i));
        total += 1 + i % 7;
      }
      all.add(
          CompletableFuture.runAsync(
              () -> {
                for (List<Completion> b : mine) {
                  assertThat(combiner.complete(b)).isEqualTo(expected(b));
                }
              },
              pool));
    }
    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    assertThat(writes.stream().mapToInt(List::size).sum()).isEqualTo(total);
    assertThat(writes).allSatisfy(w -> assertThat(w.size()).isLessThanOrEqualTo(50));
    assertThat(combiner.queued()).isZero();
  }

  private static List<Completion> flatten(List<List<Completion>> batches) {
    List<Completion> all = new ArrayList<>();
    batches.forEach(all::addAll);
    return all;
  }
}
