package dev.plimsoll.internal.engine;

import dev.plimsoll.EngineBuilder;
import dev.plimsoll.InvalidJobException;
import dev.plimsoll.JobRequest;
import dev.plimsoll.internal.JobIds;
import dev.plimsoll.spi.NewJob;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns a {@link JobRequest} into a {@link NewJob}, or refuses it with an error naming the field
 * and the limit. Also bounds the set of distinct queues and handler-less types, which would
 * otherwise grow with whatever names callers invent.
 */
final class Admission {
  static final int MAX_OWNER_CHARS = 128;
  static final int MAX_KEY_CHARS = 256;
  static final Duration MAX_DELAY = Duration.ofDays(365);
  static final Duration MAX_TIMEOUT = Duration.ofHours(24);

  private final EngineSettings settings;
  private final JobIds ids;
  private final Set<String> queues = ConcurrentHashMap.newKeySet();
  private final Set<String> foreignTypes = ConcurrentHashMap.newKeySet();

  Admission(EngineSettings settings, JobIds ids) {
    this.settings = settings;
    this.ids = ids;
    queues.add(settings.defaultQueue());
    queues.addAll(settings.queues().keySet());
  }

  NewJob admit(JobRequest r, Instant now) {
    if (r == null) {
      throw new InvalidJobException("request", "must not be null");
    }
    String type = checkType(r.type());
    String queue = checkQueue(r.queue() == null ? settings.defaultQueue() : r.queue());
    byte[] payload = r.payload() == null ? new byte[0] : r.payload();
    if (payload.length > settings.maxPayloadBytes()) {
      throw new InvalidJobException(
          "payload",
          "is "
              + payload.length
              + " bytes, more than the limit of "
              + settings.maxPayloadBytes()
              + " bytes");
    }
    String owner = r.owner();
    if (owner != null
        && (owner.isEmpty() || owner.length() > MAX_OWNER_CHARS || Texts.hasControl(owner))) {
      throw new InvalidJobException(
          "owner", "must be 1 to " + MAX_OWNER_CHARS + " printable characters");
    }
    String key = r.idempotencyKey();
    if (key != null && (key.isEmpty() || key.length() > MAX_KEY_CHARS || Texts.hasControl(key))) {
      throw new InvalidJobException(
          "idempotencyKey", "must be 1 to " + MAX_KEY_CHARS + " printable characters");
    }
    int priority = r.priority() == null ? 5 : r.priority();
    if (priority < 0 || priority > 9) {
      throw new InvalidJobException("priority", "must be between 0 and 9, got " + priority);
    }
    int maxAttempts = r.maxAttempts() == null ? settings.defaultMaxAttempts() : r.maxAttempts();
    if (maxAttempts < 1 || maxAttempts > 1_000) {
      throw new InvalidJobException(
          "maxAttempts", "must be between 1 and 1000, got " + maxAttempts);
    }
    Duration timeout = r.timeout() == null ? settings.defaultTimeout() : r.timeout();
    if (timeout.toMillis() < 1 || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new InvalidJobException(
          "timeout", "must be between 1 ms and " + MAX_TIMEOUT + ", got " + timeout);
    }
    Instant runAt = runAt(r, now);
    register(queue, type);
    return new NewJob(
        ids.next(),
        queue,
        type,
        payload.clone(),
        owner,
        key,
        priority,
        maxAttempts,
        timeout.toMillis(),
        now,
        runAt);
  }

  private Instant runAt(JobRequest r, Instant now) {
    if (r.runAt() != null && r.delay() != null) {
      throw new InvalidJobException("delay", "cannot be combined with runAt");
    }
    Instant latest = now.plus(MAX_DELAY);
    if (r.delay() != null) {
      if (r.delay().isNegative() || r.delay().compareTo(MAX_DELAY) > 0) {
        throw new InvalidJobException(
            "delay", "must be between 0 and " + MAX_DELAY.toDays() + " days, got " + r.delay());
      }
      return now.plus(r.delay());
    }
    if (r.runAt() != null) {
      if (r.runAt().isAfter(latest)) {
        throw new InvalidJobException(
            "runAt", "must be at most " + MAX_DELAY.toDays() + " days ahead, got " + r.runAt());
      }
      return r.runAt().isBefore(now) ? now : r.runAt();
    }
    return now;
  }

  private String checkType(String type) {
    if (type != null && settings.handlers().containsKey(type)) {
      return type; // validated when the handler was registered
    }
    if (type == null || !EngineBuilder.NAME.matcher(type).matches()) {
      throw new InvalidJobException(
          "type", "must match " + EngineBuilder.NAME.pattern() + ", got " + quote(type));
    }
    if (settings.handlers().containsKey(type)) {
      return type;
    }
    if (!settings.acceptTypesWithoutHandler()) {
      throw new InvalidJobException(
          "type",
          "'" + type + "' has no handler registered; known types: " + settings.handlers().keySet());
    }
    return type;
  }

  private String checkQueue(String queue) {
    if (queues.contains(queue)) {
      return queue; // validated when first admitted
    }
    if (!EngineBuilder.NAME.matcher(queue).matches()) {
      throw new InvalidJobException(
          "queue", "must match " + EngineBuilder.NAME.pattern() + ", got " + quote(queue));
    }
    return queue;
  }

  /**
   * Records a new queue name and a new handler-less type, each bounded; the last step of admission,
   * and all-or-nothing so a refused job leaves no name behind.
   */
  private synchronized void register(String queue, String type) {
    boolean newQueue = !queues.contains(queue);
    boolean newType = !settings.handlers().containsKey(type) && !foreignTypes.contains(type);
    if (newQueue && queues.size() >= settings.maxQueues()) {
      throw new InvalidJobException(
          "queue", "'" + queue + "' would exceed the limit of " + settings.maxQueues() + " queues");
    }
    if (newType && foreignTypes.size() >= settings.maxTypes()) {
      throw new InvalidJobException(
          "type",
          "'" + type + "' would exceed the limit of " + settings.maxTypes() + " distinct types");
    }
    if (newQueue) {
      queues.add(queue);
    }
    if (newType) {
      foreignTypes.add(type);
    }
  }

  private static String quote(String s) {
    if (s == null) {
      return "null";
    }
    return "'" + Texts.shorten(s) + "'";
  }
}
