package dev.plimsoll;

/**
 * Runs one attempt of a job of one type. Return the result bytes (or {@code null}); throw to fail
 * the attempt ({@link NonRetryableException} to skip further attempts). Handlers should respond to
 * interruption: it is how timeouts, cancellation and shutdown reach them. A handler that ignores it
 * past its timeout is reported as a stuck worker.
 */
@FunctionalInterface
public interface JobHandler {
  byte[] handle(JobContext context) throws Exception;
}
