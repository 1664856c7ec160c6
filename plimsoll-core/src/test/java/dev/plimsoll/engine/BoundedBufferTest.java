package dev.plimsoll.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plimsoll.BoundedBuffer;
import dev.plimsoll.BufferStats;
import dev.plimsoll.CapacityExceededException;
import dev.plimsoll.EngineClosedException;
import dev.plimsoll.JobEngine;
import dev.plimsoll.SettableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BoundedBufferTest {

  @Test
  void aRejectingBufferRefusesPastItsCapacityAndCountsIt() {
    BoundedBuffer<String> b = new BoundedBuffer<>("out", BoundedBuffer.Config.reject(2));
    b.put("a");
    assertThat(b.offer("b")).isTrue();
    assertThat(b.offer("c")).isFalse();
    assertThatThrownBy(() -> b.put("d"))
        .isInstanceOf(CapacityExceededException.class)
        .hasMessage("buffer 'out' is at its limit of 2");
    assertThat(b.stats()).isEqualTo(new BufferStats("out", 2, 2, 2, 2, 2, 0));
  }

  @Test
  void aDropOldestBufferEvictsAndHandsTheDroppedItemBack() {
    List<String> dropped = new ArrayList<>();
    BoundedBuffer<String> b =
        new BoundedBuffer<>("ticks", BoundedBuffer.Config.dropOldest(2), dropped::add);
    b.put("1");
    b.put("2");
    b.put("3");
    assertThat(dropped).containsExactly("1");
    assertThat(b.poll()).isEqualTo("2");
    assertThat(b.stats().dropped()).isEqualTo(1);
  }

  @Test
  void droppingIsRefusedForDataNotMarkedReplayable() {
    assertThatThrownBy(
            () ->
                new BoundedBuffer.Config(
                    10, dev.plimsoll.OverflowPolicy.DROP_OLDEST, Duration.ZERO, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replayable");
  }

  @Test
  void aBlockingBufferWaitsForSpaceThenRefusesAfterItsTimeout() throws Exception {
    BoundedBuffer<Integer> b =
        new BoundedBuffer<>("b", BoundedBuffer.Config.block(1, Duration.ofSeconds(10)));
    b.put(1);
    CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> b.put(2));
    assertThat(producer).isNotDone();
    assertThat(b.poll(Duration.ofSeconds(1))).isEqualTo(1);
    producer.get(5, TimeUnit.SECONDS);
    assertThat(b.poll()).isEqualTo(2);

    BoundedBuffer<Integer> quick =
        new BoundedBuffer<>("q", BoundedBuffer.Config.block(1, Duration.ofMillis(20)));
    quick.put(1);
    assertThat(quick.offer(2)).isFalse();
    assertThat(quick.stats().rejected()).isEqualTo(1);
  }

  @Test
  void aClosedBufferRefusesItemsButLetsTheHeldOnesBeDrained() {
    BoundedBuffer<String> b = new BoundedBuffer<>("c", BoundedBuffer.Config.reject(5));
    b.put("x");
    b.close();
    assertThatThrownBy(() -> b.put("y")).isInstanceOf(EngineClosedException.class);
    List<String> sink = new ArrayList<>();
    assertThat(b.drainTo(sink, 10)).isEqualTo(1);
    assertThat(sink).containsExactly("x");
  }

  @Test
  void buffersMadeByTheEngineAreExportedInItsStatsUntilClosed() {
    try (JobEngine engine = JobEngine.builder().clock(SettableClock.atFixedStart()).start()) {
      BoundedBuffer<String> b = engine.newBuffer("pushes", BoundedBuffer.Config.reject(1));
      b.put("a");
      b.offer("b");
      assertThat(engine.stats().buffers())
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.name()).isEqualTo("pushes");
                assertThat(s.rejected()).isEqualTo(1);
              });
      b.close();
      assertThat(engine.stats().buffers()).isEmpty();
    }
  }
}
