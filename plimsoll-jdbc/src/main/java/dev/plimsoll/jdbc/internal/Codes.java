package dev.plimsoll.jdbc.internal;

import dev.plimsoll.JobState;
import java.time.Instant;

/** How states and instants are written to the tables (see the V001 migration). */
public final class Codes {
  private static final JobState[] BY_CODE = {
    JobState.SCHEDULED,
    JobState.QUEUED,
    JobState.RUNNING,
    JobState.SUCCEEDED,
    JobState.DEAD,
    JobState.CANCELLED
  };

  public static final int SCHEDULED = 0;
  public static final int QUEUED = 1;
  public static final int RUNNING = 2;

  /** Retention class of succeeded and cancelled jobs. */
  public static final int FINISHED_CLASS = 0;

  /** Retention class of dead jobs. */
  public static final int DEAD_CLASS = 1;

  private Codes() {}

  public static int code(JobState state) {
    switch (state) {
      case SCHEDULED:
        return 0;
      case QUEUED:
        return 1;
      case RUNNING:
        return 2;
      case SUCCEEDED:
        return 3;
      case DEAD:
        return 4;
      case CANCELLED:
        return 5;
      default:
        throw new IllegalArgumentException("unknown state " + state);
    }
  }

  public static JobState state(int code) {
    if (code < 0 || code >= BY_CODE.length) {
      throw new IllegalStateException("unknown state code " + code + " in the job tables");
    }
    return BY_CODE[code];
  }

  public static int retentionClass(JobState finished) {
    return finished == JobState.DEAD ? DEAD_CLASS : FINISHED_CLASS;
  }

  /** Microseconds since the epoch. */
  public static long micros(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
  }

  public static Instant instant(long micros) {
    return Instant.ofEpochSecond(
        Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
  }
}
