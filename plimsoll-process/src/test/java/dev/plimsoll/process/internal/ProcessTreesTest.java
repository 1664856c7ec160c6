package dev.plimsoll.process.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ProcessTreesTest {
  @Test
  void theQuickPidRangeLookupAndTheFullScanFindTheSameTree() throws Exception {
    Process root =
        ProcessTrees.startInOwnGroup(
            new ProcessBuilder("sh", "-c", "sleep 30 & (sleep 30 & wait) & wait"));
    try {
      // sh, its sleep, the subshell and the subshell's sleep.
      await().until(() -> ProcessTrees.treeAndGroup(root.pid(), false).size() == 4);
      Set<Long> full = ProcessTrees.treeAndGroup(root.pid(), false);
      Set<Long> ranged = ProcessTrees.treeAndGroup(root.pid(), true);
      assertThat(ranged).containsExactlyInAnyOrderElementsOf(full).contains(root.pid());
    } finally {
      assertThat(ProcessTrees.signal(root.toHandle(), System.nanoTime(), true)).isEqualTo(4);
      root.waitFor();
      await().until(() -> ProcessTrees.treeAndGroup(root.pid(), false).isEmpty());
    }
    assertThat(ProcessHandle.current().descendants().count()).isZero();
  }
}
