package dev.plimsoll.spi;

import dev.plimsoll.QueueConfig;
import dev.plimsoll.RetentionPolicy;
import java.time.Clock;
import java.util.function.Function;

/**
 * What the engine tells its store when opening it.
 *
 * @param clock the engine's clock: the store uses it (never its own) for every timestamp
 * @param queues the configuration of a queue by name (never null: unknown queues get defaults)
 * @param finishedRetention retention of SUCCEEDED and CANCELLED jobs
 * @param deadRetention retention of DEAD jobs
 * @param workAvailable call when work may have become claimable by something this engine did not do
 *     itself (another node's insert, a NOTIFY, a blocking pop); cheap and thread-safe
 */
public record StoreContext(
    Clock clock,
    Function<String, QueueConfig> queues,
    RetentionPolicy finishedRetention,
    RetentionPolicy deadRetention,
    Runnable workAvailable) {}
