package dev.plimsoll.server.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code plimsoll job ID}: prints one job as JSON. */
@Command(
    name = "job",
    mixinStandardHelpOptions = true,
    description = "Print a job of a running server: status, attempts, result, error.")
final class JobCommand implements Callable<Integer> {
  @Mixin ClientOptions client;

  @Parameters(index = "0", paramLabel = "ID", description = "the id that submit printed")
  String id;

  @Override
  public Integer call() {
    if (!id.matches("[0-9a-fA-F-]{36}")) {
      System.err.println("plimsoll: ID must be a 36-character UUID, got '" + id + "'");
      return 2;
    }
    return client.send("GET", "/v1/jobs/" + id, null, Map.of());
  }
}
