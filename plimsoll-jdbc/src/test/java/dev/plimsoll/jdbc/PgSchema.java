package dev.plimsoll.jdbc;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's own PostgreSQL schema ({@code plimsoll_t_<class>}): before the class, checks the
 * server (skipping or failing as {@link PgTestDatabase#requireServer} says) and empties the schema;
 * after it, drops it. Register as {@code @RegisterExtension static final PgSchema PG = new
 * PgSchema(MyTest.class);}.
 */
final class PgSchema implements BeforeAllCallback, AfterAllCallback {
  private final String name;

  PgSchema(Class<?> testClass) {
    this.name = PgTestDatabase.schemaFor(testClass);
  }

  String name() {
    return name;
  }

  /** Drops and creates the schema, empty. */
  void fresh() {
    PgTestDatabase.freshSchema(name);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    PgTestDatabase.requireServer();
    fresh();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    PgTestDatabase.dropSchema(name);
  }
}
