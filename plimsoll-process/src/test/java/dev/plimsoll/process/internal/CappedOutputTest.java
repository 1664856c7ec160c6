package dev.plimsoll.process.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class CappedOutputTest {
  /** An endless-looking stream of {@code size} bytes of 'a' that is never held in memory. */
  private static InputStream bytes(long size) {
    return new InputStream() {
      long left = size;

      @Override
      public int read() {
        return left-- > 0 ? 'a' : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (left <= 0) {
          return -1;
        }
        int n = (int) Math.min(len, left);
        java.util.Arrays.fill(b, off, off + n, (byte) 'a');
        left -= n;
        return n;
      }
    };
  }

  @Test
  void aStreamFarLargerThanTheCapIsReadToTheEndButOnlyTheCapIsHeld() throws Exception {
    CappedOutput out = new CappedOutput(1000);
    out.drain(bytes(100L * 1024 * 1024));
    assertThat(out.bytes()).hasSize(1000);
    assertThat(out.heldCapacity()).isLessThanOrEqualTo(1000);
    assertThat(out.totalBytes()).isEqualTo(100L * 1024 * 1024);
    assertThat(out.truncated()).isTrue();
  }

  @Test
  void aStreamWithinTheCapIsKeptWhole() throws Exception {
    CappedOutput out = new CappedOutput(1 << 20);
    out.drain(new ByteArrayInputStream("hello".getBytes()));
    assertThat(new String(out.bytes())).isEqualTo("hello");
    assertThat(out.truncated()).isFalse();
    assertThat(out.heldCapacity()).isLessThanOrEqualTo(8192);
  }

  @Test
  void aZeroCapKeepsNothingButCountsEverything() throws Exception {
    CappedOutput out = new CappedOutput(0);
    out.drain(bytes(5));
    assertThat(out.bytes()).isEmpty();
    assertThat(out.totalBytes()).isEqualTo(5);
    assertThat(out.truncated()).isTrue();
  }
}
