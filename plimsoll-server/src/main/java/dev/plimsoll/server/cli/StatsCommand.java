package dev.plimsoll.server.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code plimsoll stats}: prints the engine's stats snapshot (admin token). */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = "Print what a running server has done and holds (needs an admin token).")
final class StatsCommand implements Callable<Integer> {
  @Mixin ClientOptions client;

  @Override
  public Integer call() {
    return client.send("GET", "/v1/stats", null, Map.of());
  }
}
