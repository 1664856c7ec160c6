package dev.plimsoll.internal.engine;

import dev.plimsoll.BreakerConfig;
import dev.plimsoll.internal.KeyedRateLimitedLog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TypeGate}s of every type with a handler, and the set of types a claim may ask for now.
 * While no type is restricted (no limits, every breaker closed) that set is a constant.
 *
 * <p>Types run by remote workers have gates of their own ({@link #remote}): those named in {@code
 * typeConcurrency} from the start, the others created when a job of theirs is first claimed, at
 * most {@code maxTypes} of them (the bound on distinct handler-less types); a type beyond that runs
 * without breaker, which is logged.
 */
final class Gates {
  private static final Logger LOG = LoggerFactory.getLogger(Gates.class);
  private static final KeyedRateLimitedLog RATE_LOG =
      new KeyedRateLimitedLog(LOG, 10, TimeUnit.SECONDS);

  private final Map<String, TypeGate> byType;
  private final Set<String> allTypes;
  private final boolean anyLimit;
  private final AtomicInteger notClosed = new AtomicInteger();
  private final Runnable onChange;
  private final ConcurrentHashMap<String, TypeGate> remote = new ConcurrentHashMap<>();
  private final int maxRemoteGates;
  private final BreakerConfig breaker;

  Gates(EngineSettings settings, Runnable onChange) {
    Map<String, TypeGate> gates = new HashMap<>();
    for (String type : settings.handlers().keySet()) {
      int limit = settings.typeConcurrency().getOrDefault(type, 0);
      gates.put(type, new TypeGate(type, limit, settings.breaker()));
    }
    settings
        .typeConcurrency()
        .forEach(
            (type, limit) -> {
              if (!gates.containsKey(type)) {
                remote.put(type, new TypeGate(type, limit, settings.breaker()));
              }
            });
    this.breaker = settings.breaker();
    this.maxRemoteGates = settings.maxTypes() + remote.size();
    this.byType = Map.copyOf(gates);
    this.allTypes = Set.copyOf(gates.keySet());
    this.anyLimit = !settings.typeConcurrency().isEmpty();
    this.onChange = onChange;
  }

  TypeGate get(String type) {
    return byType.get(type);
  }

  /** The gate of a remote type if it has one yet (null: no limit, breaker closed). */
  TypeGate remoteIfPresent(String type) {
    return remote.get(type);
  }

  /**
   * The gate of a remote type, created at first use; null beyond {@code maxTypes} gates (the type
   * then runs without breaker).
   */
  TypeGate remote(String type) {
    TypeGate g = remote.get(type);
    if (g != null) {
      return g;
    }
    g =
        remote.computeIfAbsent(
            type, t -> remote.size() >= maxRemoteGates ? null : new TypeGate(t, 0, breaker));
    if (g == null) {
      RATE_LOG.warn(
          "remote-gates-full",
          "remote type '{}' runs without circuit breaker: {} remote types have one (maxTypes)",
          type,
          maxRemoteGates);
    }
    return g;
  }

  /** Remote gates held (for leak tests). */
  int remoteGates() {
    return remote.size();
  }

  /** Types a claim may include now; empty when nothing can run. */
  Set<String> claimable(long now) {
    if (!anyLimit && notClosed.get() == 0) {
      return allTypes;
    }
    Set<String> types = new HashSet<>();
    for (TypeGate g : byType.values()) {
      if (g.claimable(now)) {
        types.add(g.type);
      }
    }
    return Set.copyOf(types);
  }

  /** Whether a claim of {@code types} must be of one job (a type in it has limited admission). */
  boolean restricted(Set<String> types) {
    if (types == allTypes && !anyLimit && notClosed.get() == 0) {
      return false;
    }
    for (String t : types) {
      if (!byType.get(t).unrestricted()) {
        return true;
      }
    }
    return false;
  }

  /** Ends an attempt's admission and reports breaker changes. */
  void exited(TypeGate gate, int gen, Boolean success, long now) {
    TypeGate.Change change = gate.exit(gen, success, now);
    if (change == TypeGate.Change.OPENED) {
      notClosed.set(countNotClosed());
      RATE_LOG.warn(
          "breaker-open-" + gate.type,
          "circuit breaker for type '{}' opened: its jobs wait until it half-opens",
          gate.type);
      onChange.run();
    } else if (change == TypeGate.Change.CLOSED) {
      notClosed.set(countNotClosed());
      LOG.info("circuit breaker for type '{}' closed", gate.type);
      onChange.run();
    } else if (anyLimit) {
      onChange.run();
    }
  }

  private int countNotClosed() {
    int n = 0;
    for (TypeGate g : byType.values()) {
      if (g.state() != TypeGate.State.CLOSED) {
        n++;
      }
    }
    for (TypeGate g : remote.values()) {
      if (g.state() != TypeGate.State.CLOSED) {
        n++;
      }
    }
    return n;
  }

  /** Earliest time an open breaker half-opens, or {@link Long#MAX_VALUE}. */
  long nextReopen() {
    long t = Long.MAX_VALUE;
    if (notClosed.get() == 0) {
      return t;
    }
    for (TypeGate g : byType.values()) {
      t = Math.min(t, g.reopensAt());
    }
    for (TypeGate g : remote.values()) {
      t = Math.min(t, g.reopensAt());
    }
    return t;
  }

  List<String> notClosedTypes() {
    List<String> out = new ArrayList<>();
    if (notClosed.get() == 0) {
      return out;
    }
    for (TypeGate g : byType.values()) {
      if (g.state() != TypeGate.State.CLOSED) {
        out.add(g.type + ":" + g.state());
      }
    }
    for (TypeGate g : remote.values()) {
      if (g.state() != TypeGate.State.CLOSED) {
        out.add(g.type + ":" + g.state());
      }
    }
    out.sort(null);
    return out;
  }
}
