package dev.plimsoll.process.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and signals every process a child started. On Linux each child is started through {@code
 * setsid}, so it leads its own session and process group; group members are found by scanning
 * {@code /proc/<pid>/stat}, which still finds grandchildren that re-parented to init when their
 * parent died. {@link ProcessHandle#descendants()} adds those that are still attached but moved to
 * a group of their own. Only a process that both left the group and lost its parent escapes.
 */
public final class ProcessTrees {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessTrees.class);

  /** How long a KILLed process may take to be reaped before we log and move on. */
  private static final Duration AFTER_KILL = Duration.ofSeconds(10);

  private static final Path PROC = Path.of("/proc");
  private static final String SETSID = findSetsid();
  private static final long SELF = ProcessHandle.current().pid();
  private static final Path LAST_PID = PROC.resolve("sys/kernel/ns_last_pid");

  /** Longest pid range read one by one instead of a full /proc scan. */
  private static final long RANGE_MAX_PIDS = 512;

  /** Trees older than this always get a full scan (pids could have wrapped around since). */
  private static final long RANGE_MAX_AGE = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

  private ProcessTrees() {}

  private static String findSetsid() {
    for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
      if (Files.isExecutable(Path.of(candidate)) && Files.isDirectory(PROC)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * Starts {@code builder}'s command leading a new session and process group (where supported).
   * Through {@code setsid} a missing program would only show as exit code 127, so it is looked up
   * first (on the child's PATH) and reported as the same {@link IOException} a direct start gives.
   */
  public static Process startInOwnGroup(ProcessBuilder builder) throws IOException {
    if (SETSID == null) {
      return builder.start();
    }
    List<String> argv = builder.command();
    requireProgram(argv.get(0), builder);
    List<String> wrapped = new ArrayList<>(argv.size() + 1);
    wrapped.add(SETSID);
    wrapped.addAll(argv);
    builder.command(wrapped);
    try {
      return builder.start();
    } finally {
      builder.command(argv);
    }
  }

  private static void requireProgram(String program, ProcessBuilder builder) throws IOException {
    if (program.indexOf('/') >= 0) {
      Path path = Path.of(program);
      if (!path.isAbsolute() && builder.directory() != null) {
        path = builder.directory().toPath().resolve(path);
      }
      if (!Files.isExecutable(path) || Files.isDirectory(path)) {
        throw new IOException("Cannot run program \"" + program + "\": not an executable file");
      }
      return;
    }
    String searchPath = builder.environment().getOrDefault("PATH", "/usr/bin:/bin");
    for (String entry : searchPath.split(":")) {
      Path candidate = Path.of(entry.isEmpty() ? "." : entry).resolve(program);
      if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
        return;
      }
    }
    throw new IOException(
        "Cannot run program \"" + program + "\": not found on PATH " + searchPath);
  }

  /**
   * The live processes of the tree rooted at {@code root}: the root, its descendants and, where
   * groups are supported, every process in the group the root leads (group id = root pid). One scan
   * of /proc answers both on Linux.
   */
  public static Set<ProcessHandle> members(ProcessHandle root, long startedNanos) {
    Set<ProcessHandle> found = new LinkedHashSet<>();
    if (SETSID == null) {
      if (root.isAlive()) {
        found.add(root);
      }
      root.descendants().forEach(found::add);
    } else {
      for (long pid : treeAndGroup(root.pid(), System.nanoTime() - startedNanos < RANGE_MAX_AGE)) {
        ProcessHandle.of(pid).ifPresent(found::add);
      }
    }
    found.removeIf(p -> p.pid() == SELF || !p.isAlive());
    return found;
  }

  /**
   * TERM to the tree, then KILL to what is left if {@code process} has not exited after {@code
   * grace}; returns once it exited (or {@code afterKill} more passed, which is logged).
   */
  public static void terminate(Process process, long startedNanos, Duration grace) {
    ProcessHandle root = process.toHandle();
    signal(root, startedNanos, false);
    if (!ChildRun.waitUninterruptibly(process, grace)) {
      signal(root, startedNanos, true);
      if (!ChildRun.waitUninterruptibly(process, AFTER_KILL)) {
        LOG.error("process {} survived KILL for {}", process.pid(), AFTER_KILL);
      }
    }
  }

  /** Sends TERM ({@code force=false}) or KILL to every member; returns how many were signalled. */
  public static int signal(ProcessHandle root, long startedNanos, boolean force) {
    int signalled = 0;
    for (ProcessHandle p : members(root, startedNanos)) {
      boolean sent = force ? p.destroyForcibly() : p.destroy();
      if (sent) {
        signalled++;
      }
    }
    return signalled;
  }

  /**
   * Live (non-zombie) pids that are {@code root}, descend from it, or belong to the process group
   * {@code root} leads, from one look at /proc.
   *
   * <p>Pids are handed out in increasing order, so everything the root started has a pid between
   * the root's and the last one allocated ({@code /proc/sys/kernel/ns_last_pid}). For a young root
   * ({@code recent}) and a short range only those pids are read; a full scan is done otherwise
   * (pids wrapped around, or the range is long). This keeps the sweep after every call cheap.
   */
  static Set<Long> treeAndGroup(long root, boolean recent) {
    Map<Long, List<Long>> childrenOf = new HashMap<>();
    Set<Long> result = new LinkedHashSet<>();
    long last = recent ? lastPid() : -1;
    if (last >= root && last - root <= RANGE_MAX_PIDS) {
      for (long pid = root; pid <= last; pid++) {
        visit(pid, PROC.resolve(Long.toString(pid)), root, result, childrenOf);
      }
    } else {
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, ProcessTrees::isPidDir)) {
        for (Path dir : dirs) {
          visit(Long.parseLong(dir.getFileName().toString()), dir, root, result, childrenOf);
        }
      } catch (IOException e) {
        // /proc unreadable: nothing more to find.
      }
    }
    Deque<Long> todo = new ArrayDeque<>(result);
    todo.add(root);
    while (!todo.isEmpty()) {
      for (long child : childrenOf.getOrDefault(todo.poll(), List.of())) {
        if (result.add(child)) {
          todo.add(child);
        }
      }
    }
    return result;
  }

  private static void visit(
      long pid, Path dir, long root, Set<Long> result, Map<Long, List<Long>> childrenOf) {
    long[] parentAndGroup = parentAndGroupOf(dir);
    if (parentAndGroup == null) {
      return;
    }
    if (pid == root || parentAndGroup[1] == root) {
      result.add(pid);
    }
    childrenOf.computeIfAbsent(parentAndGroup[0], k -> new ArrayList<>()).add(pid);
  }

  private static long lastPid() {
    try {
      return Long.parseLong(Files.readString(LAST_PID).trim());
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static boolean isPidDir(Path p) {
    String name = p.getFileName().toString();
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (!Character.isDigit(name.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Fields 4 and 5 of /proc/pid/stat (parent, process group); null if gone or a zombie. */
  private static long[] parentAndGroupOf(Path pidDir) {
    try {
      String stat =
          new String(Files.readAllBytes(pidDir.resolve("stat")), StandardCharsets.US_ASCII);
      int close = stat.lastIndexOf(')');
      String[] fields = stat.substring(close + 2).split(" ", 4);
      if (fields[0].equals("Z") || fields[0].equals("X")) {
        return null;
      }
      return new long[] {Long.parseLong(fields[1]), Long.parseLong(fields[2])};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
