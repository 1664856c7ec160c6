package dev.plimsoll.watch;

/**
 * The verdict on one resource of a watched process and its evidence.
 *
 * @param measure the resource
 * @param verdict LEAK, STABLE or INCONCLUSIVE for this resource
 * @param trend slope per hour (bytes/h or count/h), R² and rising share over the trend samples
 * @param baseline mean of the first tenth of the trend samples
 * @param last the last sample
 * @param peak the highest sample (warm-up included)
 * @param growth growth over the trend samples by the fitted line (slope × time span)
 * @param growthPercent {@code growth} as a percentage of {@code baseline}
 * @param evidence one sentence for a human, e.g. {@code "threads grew +3600.0/h (R² 0.99, 100% of
 *     changes rising), +40 (+200%) over 40 s; peak 60"}
 */
public record ResourceFinding(
    Measure measure,
    Verdict verdict,
    Trend trend,
    double baseline,
    double last,
    double peak,
    double growth,
    double growthPercent,
    String evidence) {}
