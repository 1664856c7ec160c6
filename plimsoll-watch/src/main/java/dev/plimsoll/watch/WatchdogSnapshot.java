package dev.plimsoll.watch;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the watchdog knows now.
 *
 * @param at when the snapshot was taken (watchdog clock)
 * @param level the pressure level
 * @param heapAfterGcFraction heap used after the last GC / max heap; NaN before the first GC
 * @param maxHeapBytes the max heap measured against
 * @param latest the newest sample of every measure sampled so far
 * @param trends the slope, R² and rising share of every measure over the trend window
 * @param warnings crossings into WARNING (from NORMAL) since start
 * @param sheddings crossings into SHEDDING since start
 * @param recoveries returns to NORMAL since start
 * @param shedReason why submissions are refused now, or null
 * @param healthReasons reasons health is DEGRADED now (empty when NORMAL)
 */
public record WatchdogSnapshot(
    Instant at,
    PressureLevel level,
    double heapAfterGcFraction,
    long maxHeapBytes,
    Map<Measure, Double> latest,
    Map<Measure, Trend> trends,
    long warnings,
    long sheddings,
    long recoveries,
    String shedReason,
    List<String> healthReasons) {}
