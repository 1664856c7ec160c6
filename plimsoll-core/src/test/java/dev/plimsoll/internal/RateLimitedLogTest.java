package dev.plimsoll.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;

class RateLimitedLogTest {
  /** Records formatted-pattern lines instead of printing them. */
  static final class Recording extends AbstractLogger {
    private static final long serialVersionUID = 1L;
    final List<String> lines = new ArrayList<>();

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
        Level level, Marker marker, String pattern, Object[] args, Throwable t) {
      lines.add(level + " " + pattern);
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
      return true;
    }
  }

  @Test
  void repeatsWithinTheIntervalAreSuppressedAndCountedInTheNextLine() {
    Recording logger = new Recording();
    AtomicLong now = new AtomicLong();
    RateLimitedLog log = new RateLimitedLog(logger, 10, TimeUnit.SECONDS, now::get);

    log.warn("queue full");
    log.warn("queue full");
    log.info("queue full");
    now.addAndGet(TimeUnit.SECONDS.toNanos(10));
    log.info("queue full");

    assertThat(logger.lines)
        .containsExactly("WARN queue full", "INFO queue full (2 similar suppressed)");
  }
}
