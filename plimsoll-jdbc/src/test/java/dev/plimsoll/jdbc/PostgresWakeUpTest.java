package dev.plimsoll.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * LISTEN/NOTIFY wake-ups between nodes: a node's inserts wake the other nodes, but not the node
 * itself (its engine has already woken its own workers, so a second wake-up would only send every
 * idle worker to claim nothing).
 */
class PostgresWakeUpTest {
  @RegisterExtension static final PgSchema PG = new PgSchema(PostgresWakeUpTest.class);

  final StoreFixture a = new StoreFixture();
  final StoreFixture b = new StoreFixture();
  JdbcJobStore nodeA;
  JdbcJobStore nodeB;

  @BeforeEach
  void open() {
    PG.fresh();
    nodeA = store(a);
    nodeB = store(b);
    // each listener wakes its node once when it starts listening
    await().atMost(Duration.ofSeconds(10)).until(() -> a.wakeUps.get() >= 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> b.wakeUps.get() >= 1);
  }

  private JdbcJobStore store(StoreFixture fixture) {
    JdbcJobStore store =
        JdbcJobStore.postgres(PgTestDatabase.URL)
            .user(PgTestDatabase.USER)
            .schema(PG.name())
            .poolSize(4)
            .build();
    store.open(fixture.context());
    return store;
  }

  @AfterEach
  void close() {
    nodeA.close();
    nodeB.close();
  }

  @Test
  void aNodesInsertsWakeTheOtherNodesButNotItself() {
    int aBefore = a.wakeUps.get();
    int bBefore = b.wakeUps.get();
    for (int i = 0; i < 5; i++) {
      nodeA.insert(List.of(a.job("q", "t"))); // five commits, five notifications
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> b.wakeUps.get() > bBefore);

    nodeB.insert(List.of(b.job("q", "t")));

    // notifications reach a listener in commit order: once B's has woken A, A's own were read
    await().atMost(Duration.ofSeconds(10)).until(() -> a.wakeUps.get() > aBefore);
    assertThat(a.wakeUps.get()).isEqualTo(aBefore + 1);
  }
}
