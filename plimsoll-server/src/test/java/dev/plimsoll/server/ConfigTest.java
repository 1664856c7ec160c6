package dev.plimsoll.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  @TempDir Path dir;

  private Path yaml(String text) throws Exception {
    Path f = dir.resolve("plimsoll.yaml");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void withNoConfigTheServerUsesLoopbackPort7280AndSqliteUnderPlimsollData() {
    ServerConfig c = ServerConfig.defaults();
    assertThat(c.string("server.host")).isEqualTo("127.0.0.1");
    assertThat(c.integer("server.port")).isEqualTo(7280);
    assertThat(c.string("store.kind")).isEqualTo("sqlite");
    assertThat(c.string("data.dir")).isEqualTo("./plimsoll-data");
    assertThat(c.number("server.maxBodyBytes")).isEqualTo(1024 * 1024);
    assertThat(c.integer("engine.concurrency")).isEqualTo(10);
    assertThat(c.integer("engine.maxAttempts")).isEqualTo(3);
    assertThat(c.duration("engine.timeout")).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.duration("engine.deadRetention.maxAge")).isEqualTo(Duration.ofDays(14));
    assertThat(c.string("shutdown.mode")).isEqualTo("DRAIN");
    assertThat(c.tokens()).isEmpty();
  }

  @Test
  void environmentNamesAreTheUpperSnakeCaseOfTheKeyPath() {
    assertThat(ConfigKey.envName("store.kind")).isEqualTo("PLIMSOLL_STORE_KIND");
    assertThat(ConfigKey.envName("engine.maxAttempts")).isEqualTo("PLIMSOLL_ENGINE_MAX_ATTEMPTS");
    assertThat(ConfigKey.envName("engine.deadRetention.maxAge"))
        .isEqualTo("PLIMSOLL_ENGINE_DEAD_RETENTION_MAX_AGE");
    assertThat(ServerConfig.keys()).extracting(ConfigKey::envName).doesNotHaveDuplicates();
  }

  @Test
  void aFileIsReadAndTheEnvironmentOverridesIt() throws Exception {
    Path f =
        yaml(
            "server:\n  port: 9000\n  maxBodyBytes: 64KiB\nengine:\n  concurrency: 4\n"
                + "  backoff:\n    initial: 500ms\nstore:\n  kind: memory\n");
    ServerConfig c =
        ServerConfig.load(f, Map.of("PLIMSOLL_ENGINE_CONCURRENCY", "7", "HOME", "/root"));
    assertThat(c.integer("server.port")).isEqualTo(9000);
    assertThat(c.number("server.maxBodyBytes")).isEqualTo(64 * 1024);
    assertThat(c.integer("engine.concurrency")).isEqualTo(7);
    assertThat(c.duration("engine.backoff.initial")).isEqualTo(Duration.ofMillis(500));
    assertThat(c.string("store.kind")).isEqualTo("memory");
  }

  @Test
  void everySettingCanBeSetFromTheEnvironment() {
    for (ConfigKey k : ServerConfig.keys()) {
      if (k.key().equals("auth.tokens") || k.defaultValue().isEmpty()) {
        continue;
      }
      ServerConfig c = ServerConfig.load(null, Map.of(k.envName(), k.defaultValue()));
      assertThat(c).as(k.key()).isNotNull();
    }
    ServerConfig c =
        ServerConfig.load(
            null,
            Map.of(
                "PLIMSOLL_STORE_KIND",
                "redis",
                "PLIMSOLL_STORE_URL",
                "redis://10.0.0.1:6379",
                "PLIMSOLL_SHUTDOWN_GRACE",
                "5s",
                "PLIMSOLL_REMOTE_ENABLED",
                "false"));
    assertThat(c.string("store.kind")).isEqualTo("redis");
    assertThat(c.string("store.url")).isEqualTo("redis://10.0.0.1:6379");
    assertThat(c.duration("shutdown.grace")).isEqualTo(Duration.ofSeconds(5));
    assertThat(c.flag("remote.enabled")).isFalse();
  }

  @Test
  void aBadValueNamesTheKeyItsSourceAndTheAllowedValues() throws Exception {
    assertThatThrownBy(() -> ServerConfig.load(yaml("store:\n  kind: mongo\n"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("store.kind")
        .hasMessageContaining("[sqlite, postgres, redis, memory]")
        .hasMessageContaining("mongo")
        .hasMessageContaining("plimsoll.yaml");
    assertThatThrownBy(() -> ServerConfig.load(null, Map.of("PLIMSOLL_SERVER_PORT", "70000")))
        .hasMessageContaining("server.port")
        .hasMessageContaining("between 0 and 65535")
        .hasMessageContaining("PLIMSOLL_SERVER_PORT");
    assertThatThrownBy(() -> ServerConfig.load(null, Map.of("PLIMSOLL_ENGINE_TIMEOUT", "soon")))
        .hasMessageContaining("engine.timeout")
        .hasMessageContaining("30s");
    assertThatThrownBy(
            () -> ServerConfig.load(null, Map.of("PLIMSOLL_SERVER_MAX_BODY_BYTES", "1TB")))
        .hasMessageContaining("server.maxBodyBytes");
    assertThatThrownBy(
            () -> ServerConfig.load(null, Map.of("PLIMSOLL_ENGINE_BREAKER_ENABLED", "yes")))
        .hasMessageContaining("engine.breaker.enabled")
        .hasMessageContaining("true or false");
    assertThatThrownBy(
            () -> ServerConfig.load(null, Map.of("PLIMSOLL_ENGINE_TYPE_CONCURRENCY", "command")))
        .hasMessageContaining("engine.typeConcurrency");
  }

  @Test
  void anUnknownKeyInTheFileIsRefusedByName() throws Exception {
    assertThatThrownBy(() -> ServerConfig.load(yaml("engine:\n  concurency: 4\n"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("engine.concurency")
        .hasMessageContaining("not a known setting");
    assertThatThrownBy(() -> ServerConfig.load(yaml("server:\n  port: [1, 2]\n"), Map.of()))
        .hasMessageContaining("server.port");
  }

  @Test
  void rulesBetweenSettingsAreChecked() {
    assertThatThrownBy(
            () -> ServerConfig.load(null, Map.of("PLIMSOLL_ENGINE_BACKOFF_INITIAL", "2m")))
        .hasMessageContaining("engine.backoff.max");
    assertThatThrownBy(() -> ServerConfig.load(null, Map.of("PLIMSOLL_STORE_KIND", "postgres")))
        .hasMessageContaining("store.url");
    assertThatThrownBy(
            () -> ServerConfig.load(null, Map.of("PLIMSOLL_ENGINE_BREAKER_MIN_CALLS", "50")))
        .hasMessageContaining("engine.breaker.minCalls");
    assertThatThrownBy(
            () -> ServerConfig.load(null, Map.of("PLIMSOLL_WATCHDOG_WARN_FRACTION", "0.9")))
        .hasMessageContaining("watchdog.warnFraction")
        .hasMessageContaining("watchdog.shedFraction (0.85)");
    assertThatThrownBy(
            () -> ServerConfig.load(null, Map.of("PLIMSOLL_WATCHDOG_RESUME_FRACTION", "0.95")))
        .hasMessageContaining("watchdog.resumeFraction");
  }

  @Test
  void bindingBeyondLoopbackWithoutTokensIsRefusedAndSaysWhy() {
    assertThatThrownBy(() -> ServerConfig.load(null, Map.of("PLIMSOLL_SERVER_HOST", "0.0.0.0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("server.host")
        .hasMessageContaining("without auth.tokens");
    ServerConfig ok =
        ServerConfig.load(
            null,
            Map.of(
                "PLIMSOLL_SERVER_HOST",
                "0.0.0.0",
                "PLIMSOLL_AUTH_TOKENS",
                "tok-admin-0123456789:ops:admin,tok-client-012345678:acme:client"));
    assertThat(ok.tokens()).extracting(TokenGrant::tenant).containsExactly("ops", "acme");
    assertThat(ok.tokens()).extracting(TokenGrant::role).containsExactly(Role.ADMIN, Role.CLIENT);
    assertThat(ok.tokens().get(0).toString()).doesNotContain("tok-admin");
  }

  @Test
  void tokensInTheFileAreCheckedForShapeRoleAndLength() throws Exception {
    ServerConfig c =
        ServerConfig.load(
            yaml(
                "auth:\n  tokens:\n    - {token: worker-token-0123456789, tenant: w, role: worker}\n"),
            Map.of());
    assertThat(c.tokens()).singleElement().extracting(TokenGrant::role).isEqualTo(Role.WORKER);
    assertThatThrownBy(
            () ->
                ServerConfig.load(
                    yaml("auth:\n  tokens:\n    - {token: short, tenant: a, role: client}\n"),
                    Map.of()))
        .hasMessageContaining("auth.tokens")
        .hasMessageContaining("16 to 512");
    assertThatThrownBy(
            () ->
                ServerConfig.load(
                    yaml(
                        "auth:\n  tokens:\n    - {token: abcdefghijklmnopq, tenant: a, role: root}\n"),
                    Map.of()))
        .hasMessageContaining("admin, client, worker");
    assertThatThrownBy(
            () ->
                ServerConfig.load(
                    yaml("auth:\n  tokens:\n    - {token: abcdefghijklmnopq, tenant: a}\n"),
                    Map.of()))
        .hasMessageContaining("token, tenant and role");
    assertThatThrownBy(
            () ->
                ServerConfig.load(
                    null,
                    Map.of(
                        "PLIMSOLL_AUTH_TOKENS",
                        "abcdefghijklmnopq:a:client,abcdefghijklmnopq:b:admin")))
        .hasMessageContaining("twice");
  }
}
