package dev.plimsoll;

import java.time.Duration;
import java.util.Set;

/**
 * A remote worker's request for jobs; validated by {@link RemoteWorkers#claim}.
 *
 * @param workerId who claims (recorded with the lease; 1 to 100 characters)
 * @param types job types it runs (1 to 100 of them, none with a local handler)
 * @param max how many jobs at most (1 to {@link RemoteWorkers#MAX_CLAIM})
 * @param maxWait how long to wait for a job when none is queued (0 to {@link
 *     RemoteWorkers#MAX_WAIT})
 */
public record RemoteClaim(String workerId, Set<String> types, int max, Duration maxWait) {
  public RemoteClaim {
    // A copy that keeps a null element, so that validation names the field instead of an NPE here.
    types =
        types == null
            ? null
            : java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(types));
  }
}
