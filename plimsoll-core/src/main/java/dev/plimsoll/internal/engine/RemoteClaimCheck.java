package dev.plimsoll.internal.engine;

import static dev.plimsoll.RemoteWorkers.MAX_CLAIM;
import static dev.plimsoll.RemoteWorkers.MAX_WAIT;

import dev.plimsoll.EngineBuilder;
import dev.plimsoll.InvalidJobException;
import dev.plimsoll.RemoteClaim;
import java.time.Duration;
import java.util.Set;

/**
 * Checks a {@link RemoteClaim} against its limits before anything is claimed, with an error naming
 * the field. Stateless; runs on the claiming caller's thread.
 */
final class RemoteClaimCheck {
  static final int MAX_WORKER_ID_CHARS = 100;
  static final int MAX_TYPES = 100;

  private RemoteClaimCheck() {}

  /**
   * @param localTypes the types with a handler in this engine (remote workers may not claim them)
   * @throws InvalidJobException a field is outside its limit
   */
  static void validate(RemoteClaim c, Set<String> localTypes) {
    if (c == null) {
      throw new InvalidJobException("claim", "must not be null");
    }
    String w = c.workerId();
    if (w == null || w.isEmpty() || w.length() > MAX_WORKER_ID_CHARS || Texts.hasControl(w)) {
      throw new InvalidJobException(
          "workerId",
          "must be 1 to "
              + MAX_WORKER_ID_CHARS
              + " printable characters, got "
              + (w == null ? "null" : w.length() + " characters"));
    }
    Set<String> types = c.types();
    if (types == null || types.isEmpty() || types.size() > MAX_TYPES) {
      throw new InvalidJobException(
          "types",
          "must name 1 to "
              + MAX_TYPES
              + " job types, got "
              + (types == null ? "none" : String.valueOf(types.size())));
    }
    for (String t : types) {
      if (t == null) {
        throw new InvalidJobException("types", "must not contain null");
      }
      if (!EngineBuilder.NAME.matcher(t).matches()) {
        throw new InvalidJobException(
            "types", "'" + Texts.shorten(t) + "' must match " + EngineBuilder.NAME.pattern());
      }
      if (localTypes.contains(t)) {
        throw new InvalidJobException(
            "types",
            "'"
                + t
                + "' has a handler in this engine; remote workers claim only types without one");
      }
    }
    if (c.max() < 1 || c.max() > MAX_CLAIM) {
      throw new InvalidJobException(
          "max", "must be between 1 and " + MAX_CLAIM + ", got " + c.max());
    }
    Duration d = c.maxWait();
    if (d == null || d.isNegative() || d.compareTo(MAX_WAIT) > 0) {
      throw new InvalidJobException(
          "maxWait", "must be between 0 and " + MAX_WAIT.toSeconds() + " s, got " + d);
    }
  }
}
