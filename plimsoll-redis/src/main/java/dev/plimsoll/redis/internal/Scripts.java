package dev.plimsoll.redis.internal;

import dev.plimsoll.JobState;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Lua scripts, read once from the classpath and run with EVALSHA; a server that forgot them
 * (restart, SCRIPT FLUSH) gets them again on NOSCRIPT. Each script is the transition table
 * generated from {@link JobState}, the shared prelude {@code common.lua}, then its own body.
 */
public final class Scripts {

  /** One script per store operation. */
  public enum Name {
    INSERT,
    CLAIM,
    COMPLETE,
    HEARTBEAT,
    PROMOTE,
    RECOVER,
    CANCEL,
    DEAD,
    PURGE,
    COUNTS;

    String resource() {
      return name().toLowerCase(java.util.Locale.ROOT) + ".lua";
    }
  }

  private record Script(byte[] source, String sha) {}

  private final Map<Name, Script> scripts = new EnumMap<>(Name.class);

  public Scripts() {
    String prelude = transitionTable() + read("common.lua");
    for (Name name : Name.values()) {
      byte[] source = (prelude + read(name.resource())).getBytes(StandardCharsets.UTF_8);
      scripts.put(name, new Script(source, sha1(source)));
    }
  }

  /** Loads every script into the server (optional: {@link #run} loads on demand). */
  public void load(RedisCommands<byte[], byte[]> redis) {
    scripts.values().forEach(s -> redis.scriptLoad(s.source()));
  }

  /** Runs a script with the given output type. */
  public <T> T run(
      RedisCommands<byte[], byte[]> redis, Name name, ScriptOutputType type, Args args) {
    Script s = scripts.get(name);
    byte[][] argv = args.toArray();
    try {
      return redis.evalsha(s.sha(), type, new byte[0][], argv);
    } catch (RedisNoScriptException e) {
      redis.scriptLoad(s.source());
      return redis.evalsha(s.sha(), type, new byte[0][], argv);
    }
  }

  /** The Lua table of legal moves, e.g. {@code LEGAL.QUEUED = {RUNNING = true, ...}}. */
  static String transitionTable() {
    Map<JobState, String> rows = new EnumMap<>(JobState.class);
    for (JobState from : JobState.values()) {
      rows.put(
          from,
          Stream.of(JobState.values())
              .filter(from::canMoveTo)
              .map(to -> to.name() + " = true")
              .collect(Collectors.joining(", ", "{", "}")));
    }
    return rows.entrySet().stream()
        .map(e -> "  " + e.getKey().name() + " = " + e.getValue())
        .collect(Collectors.joining(",\n", "local LEGAL = {\n", "\n}\n"));
  }

  private static String read(String resource) {
    try (InputStream in =
        Scripts.class.getResourceAsStream("/dev/plimsoll/redis/lua/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("missing Lua script on the classpath: " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Lua script " + resource, e);
    }
  }

  private static String sha1(byte[] source) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JVM", e);
    }
  }
}
