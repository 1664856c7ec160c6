package dev.plimsoll.watch;

import dev.plimsoll.watch.children.LeakChild;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Commands for the real child processes the tests watch. */
final class Children {
  private Children() {}

  static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** {@code java [jvmArgs] -cp <test class path> LeakChild mode rate [marker]}. */
  static List<String> java(List<String> jvmArgs, String mode, double rate, String... more) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(LeakChild.class.getName());
    cmd.add(mode);
    cmd.add(Double.toString(rate));
    cmd.addAll(List.of(more));
    return cmd;
  }

  /** {@code python3 leak_child.py mode rate [marker]}; skips the test when python3 is missing. */
  static List<String> python(String mode, double rate, String... more) {
    requirePython();
    List<String> cmd =
        new ArrayList<>(List.of(python, script().toString(), mode, Double.toString(rate)));
    cmd.addAll(List.of(more));
    return cmd;
  }

  private static Path script() {
    try {
      Path p = Path.of(Children.class.getResource("/leak_child.py").toURI());
      return p;
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The real interpreter (not a pyenv shim, which would show up as extra child processes). */
  private static String python;

  private static boolean resolved;

  static synchronized void requirePython() {
    if (!resolved) {
      resolved = true;
      try {
        Process p =
            new ProcessBuilder("python3", "-c", "import sys; print(sys.executable)")
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty()) {
          python = out;
        }
      } catch (IOException e) {
        python = null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (python == null) {
      if (Boolean.getBoolean("plimsoll.requireServices")) {
        throw new IllegalStateException("python3 is required (plimsoll.requireServices is set)");
      }
      Assumptions.abort("python3 not found on PATH: install python3 to run the Python leak cases");
    }
  }

  /**
   * Starts a child that prints {@code ready} once warm (the flat modes, after one second of bursts)
   * and returns when it has: a JVM or interpreter can take seconds to start on a busy machine, and
   * start-up growth is not what the stable cases judge.
   */
  static Process startWarm(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    java.io.BufferedReader out =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(
                p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
    String first;
    try {
      first =
          java.util.concurrent.CompletableFuture.supplyAsync(
                  () -> {
                    try {
                      return out.readLine();
                    } catch (IOException e) {
                      return null;
                    }
                  })
              .get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
    if (!"ready".equals(first)) {
      p.destroyForcibly();
      throw new IllegalStateException("the child " + cmd + " said " + first + " instead of ready");
    }
    return p;
  }

  static Path tempDir() {
    try {
      return Files.createTempDirectory("leakwatch-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
