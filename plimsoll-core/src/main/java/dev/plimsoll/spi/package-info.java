/**
 * The store SPI: what a job store must do for the engine. One contract, served by an in-memory map,
 * SQL tables with leases, and Redis with Lua scripts. Every store passes the abstract contract
 * suite {@code dev.plimsoll.spi.JobStoreContract} published in the core test-jar.
 *
 * <p>Division of labour: the <em>engine</em> decides (retry or dead, backoff, timeouts, breakers,
 * per-type limits); the <em>store</em> applies decisions atomically and enforces its bounds (queue
 * capacity, idempotency, leases and fencing, retention).
 */
package dev.plimsoll.spi;
