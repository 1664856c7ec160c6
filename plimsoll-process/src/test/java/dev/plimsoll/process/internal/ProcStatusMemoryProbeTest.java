package dev.plimsoll.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatusMemoryProbeTest {
  @Test
  void vmRssIsReadInBytes() {
    assertThat(
            ProcStatusMemoryProbe.parseVmRss("Name:\tpython3\nVmRSS:\t   10240 kB\nThreads: 1\n"))
        .isEqualTo(10240L * 1024);
    assertThat(ProcStatusMemoryProbe.parseVmRss("Name:\tkthreadd\n")).isEqualTo(-1);
  }

  @Test
  void theJvmItselfHasAResidentSizeOnLinux() {
    long rss = ProcStatusMemoryProbe.INSTANCE.residentBytes(ProcessHandle.current().pid());
    assertThat(rss).isGreaterThan(1024L * 1024);
    assertThat(ProcStatusMemoryProbe.INSTANCE.residentBytes(Long.MAX_VALUE)).isEqualTo(-1);
  }
}
