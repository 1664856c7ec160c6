package dev.plimsoll.memory;

import dev.plimsoll.spi.JobStore;
import dev.plimsoll.spi.JobStoreContract;

class InMemoryJobStoreTest extends JobStoreContract {
  @Override
  protected JobStore newStore() {
    return new InMemoryJobStore();
  }
}
