package dev.plimsoll.jdbc;

import dev.plimsoll.spi.JobStore;
import dev.plimsoll.spi.JobStoreContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

class SqliteJobStoreContractTest extends JobStoreContract {
  @TempDir Path dir;
  private final AtomicInteger files = new AtomicInteger();

  @Override
  protected JobStore newStore() {
    return JdbcJobStore.sqlite(dir.resolve("jobs-" + files.incrementAndGet() + ".db")).build();
  }
}
