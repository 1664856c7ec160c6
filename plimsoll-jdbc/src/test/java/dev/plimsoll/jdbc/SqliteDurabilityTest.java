package dev.plimsoll.jdbc;

class SqliteDurabilityTest extends DurabilityBehaviour {
  @Override
  String dialect() {
    return "sqlite";
  }

  @Override
  String target() {
    return dir.resolve("jobs.db").toString();
  }

  @Override
  JdbcJobStore newStore() {
    return JdbcJobStore.sqlite(dir.resolve("jobs.db")).build();
  }
}
