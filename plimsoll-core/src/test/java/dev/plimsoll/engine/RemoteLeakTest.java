package dev.plimsoll.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.plimsoll.BreakerConfig;
import dev.plimsoll.JobEngine;
import dev.plimsoll.JobId;
import dev.plimsoll.JobRequest;
import dev.plimsoll.RemoteClaim;
import dev.plimsoll.RemoteLease;
import dev.plimsoll.RemoteWorkers;
import dev.plimsoll.RetentionPolicy;
import dev.plimsoll.SettableClock;
import dev.plimsoll.ShutdownMode;
import dev.plimsoll.internal.engine.Engine;
import dev.plimsoll.memory.InMemoryJobStore;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Remote work holds O(bounds), not O(jobs processed): a million jobs pass through claim → succeed,
 * fail or lease expiry (and some through parked claims), and afterwards the engine holds no lease,
 * parked claim or waiter, its lease table's slots are all free again, and payloads of early jobs
 * are collectable.
 */
class RemoteLeakTest {
  private static final int JOBS = 1_000_000;
  private static final int ROUND = 1_000;
  private static final int RETAINED = 1_000;
  private static final Duration LEASE = Duration.ofSeconds(10);

  @Test
  void aMillionRemoteJobsLeaveNoLeaseClaimOrWaiterBehindAndPayloadsCollectable() throws Exception {
    SettableClock clock = SettableClock.atFixedStart();
    InMemoryJobStore store = new InMemoryJobStore();
    List<WeakReference<byte[]>> early = new ArrayList<>();
    JobEngine engine =
        Engines.builder(clock)
            .store(store)
            .concurrency(1)
            .lease(LEASE)
            .maxAttempts(1)
            .breaker(BreakerConfig.DISABLED) // a round's expiries come in a run that would open it
            .acceptTypesWithoutHandler(true)
            .maxRemoteLeases(ROUND) // a leaked slot would make the next round's claims fail
            .retention(new RetentionPolicy(Duration.ofHours(1), RETAINED))
            .deadRetention(new RetentionPolicy(Duration.ofHours(1), RETAINED))
            .start();
    try {
      RemoteWorkers remote = engine.remoteWorkers();
      List<JobRequest> batch = new ArrayList<>(100);
      long succeeded = 0;
      long failed = 0;
      long expired = 0;
      for (int round = 0; round < JOBS / ROUND; round++) {
        // one claim parked before the jobs arrive, served by the scheduler, and one given up
        CompletableFuture<List<RemoteLease>> parked =
            remote.claim(new RemoteClaim("parked", Set.of("remote"), 100, Duration.ofSeconds(60)));
        remote
            .claim(new RemoteClaim("quitter", Set.of("other"), 1, Duration.ofSeconds(60)))
            .cancel(false);
        List<JobId> waited = new ArrayList<>();
        for (int i = 0; i < ROUND; i += 100) {
          batch.clear();
          for (int j = 0; j < 100; j++) {
            batch.add(JobRequest.of("remote", new byte[64]));
          }
          List<JobId> ids = engine.submitAll(batch);
          if (i == 0) {
            waited.add(ids.get(0));
          }
        }
        for (JobId id : waited) {
          engine.completion(id);
        }
        List<RemoteLease> leases = new ArrayList<>(parked.get(10, TimeUnit.SECONDS));
        while (leases.size() < ROUND) {
          leases.addAll(
              remote
                  .claim(new RemoteClaim("w", Set.of("remote"), 100, Duration.ZERO))
                  .get(10, TimeUnit.SECONDS));
        }
        if (round < 100 && round % 5 == 0) {
          early.add(new WeakReference<>(leases.get(0).job().payload()));
        }
        for (int i = 0; i < leases.size(); i++) {
          RemoteLease l = leases.get(i);
          switch (i % 10) {
            case 8 -> {
              remote.fail(l.job().id(), l.token(), "boom", true);
              failed++;
            }
            case 9 -> expired++; // left to expire
            default -> {
              if (i % 10 == 0) {
                remote.heartbeat(l.job().id(), l.token());
              }
              remote.succeed(l.job().id(), l.token(), new byte[16]);
              succeeded++;
            }
          }
        }
        clock.advance(LEASE);
        await()
            .pollDelay(Duration.ZERO)
            .pollInterval(Duration.ofMillis(1))
            .atMost(Duration.ofSeconds(10))
            .until(() -> remote.activeLeases() == 0);
      }

      assertThat(engine.stats().totalSucceeded()).isEqualTo(succeeded);
      assertThat(engine.stats().totalDead()).isEqualTo(failed + expired);
      assertThat(engine.stats().remoteLeasesExpired()).isEqualTo(expired);
      assertThat(engine.stats().totalProcessed()).isEqualTo(JOBS);
      assertThat(remote.activeLeases()).isZero();
      assertThat(((Engine) engine).parkedClaims()).isZero();
      assertThat(((Engine) engine).waitingFutures()).isZero();
      assertThat(store.size()).isLessThanOrEqualTo(2 * RETAINED);
      // every slot of the lease table is free again: a full table's worth can be claimed
      List<JobRequest> last = new ArrayList<>();
      for (int i = 0; i < ROUND; i++) {
        last.add(JobRequest.of("remote", null));
      }
      engine.submitAll(last);
      int claimed = 0;
      while (claimed < ROUND) {
        claimed +=
            remote
                .claim(new RemoteClaim("w", Set.of("remote"), 100, Duration.ZERO))
                .get(10, TimeUnit.SECONDS)
                .size();
      }
      assertThat(remote.activeLeases()).isEqualTo(ROUND);
      assertThat(early).hasSizeGreaterThanOrEqualTo(20);
      Engines.awaitCollected(early, Duration.ofSeconds(30));
    } finally {
      engine.shutdown(ShutdownMode.CANCEL_PENDING, Duration.ZERO);
    }
    assertThat(engine.remoteWorkers().activeLeases()).isZero();
    assertThat(Engines.engineThreads()).isEmpty();
  }
}
