package dev.plimsoll.spi;

/**
 * Finished jobs removed by one retention pass.
 *
 * @param finished succeeded and cancelled jobs removed
 * @param dead dead jobs removed
 * @param more true when a batch limit was hit and another pass would remove more
 */
public record PurgeResult(long finished, long dead, boolean more) {
  public static final PurgeResult NONE = new PurgeResult(0, 0, false);

  public long total() {
    return finished + dead;
  }
}
