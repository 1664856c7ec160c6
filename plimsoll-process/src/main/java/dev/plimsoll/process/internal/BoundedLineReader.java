package dev.plimsoll.process.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads newline-terminated lines of at most {@code maxBytes} from a stream, holding at most that
 * much (plus an 8 KiB read buffer). Used by one thread.
 */
final class BoundedLineReader {
  /** Returned by {@link #readLine()} when a line exceeds the limit; the stream is then unusable. */
  static final String TOO_LONG = new String("<line too long>");

  private final InputStream in;
  private final int maxBytes;
  private final byte[] buf = new byte[8192];
  private int pos;
  private int limit;
  private byte[] line = new byte[256];
  private int lineLength;

  BoundedLineReader(InputStream in, int maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  /** The next line without its terminator, {@code null} at end of stream, or {@link #TOO_LONG}. */
  String readLine() throws IOException {
    lineLength = 0;
    while (true) {
      if (pos == limit) {
        limit = in.read(buf);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          return lineLength > 0 ? text() : null;
        }
      }
      int start = pos;
      while (pos < limit && buf[pos] != '\n') {
        pos++;
      }
      if (!append(start, pos - start)) {
        return TOO_LONG;
      }
      if (pos < limit) {
        pos++; // the newline
        return text();
      }
    }
  }

  private boolean append(int from, int n) {
    if (lineLength + n > maxBytes) {
      return false;
    }
    if (lineLength + n > line.length) {
      line = Arrays.copyOf(line, Math.min(maxBytes, Math.max(line.length * 2, lineLength + n)));
    }
    System.arraycopy(buf, from, line, lineLength, n);
    lineLength += n;
    return true;
  }

  private String text() {
    int n = lineLength;
    if (n > 0 && line[n - 1] == '\r') {
      n--;
    }
    String s = new String(line, 0, n, StandardCharsets.UTF_8);
    if (line.length > 64 * 1024) {
      line = new byte[256]; // do not keep a large line buffer around between tasks
    }
    return s;
  }
}
