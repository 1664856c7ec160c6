package dev.plimsoll.internal.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Caps stored results and error texts, marking what was cut; checks and shortens names. */
final class Texts {
  private Texts() {}

  static byte[] capResult(byte[] result, int max) {
    if (result == null || result.length <= max) {
      return result;
    }
    byte[] marker =
        ("…[truncated " + (result.length - max) + " bytes]").getBytes(StandardCharsets.UTF_8);
    if (max <= marker.length) {
      return Arrays.copyOf(result, max);
    }
    byte[] out = Arrays.copyOf(result, max);
    System.arraycopy(marker, 0, out, max - marker.length, marker.length);
    return out;
  }

  static String capError(String text, int max) {
    if (text == null || text.length() <= max) {
      return text;
    }
    String marker = "…[truncated " + (text.length() - max) + " chars]";
    return text.substring(0, Math.max(0, max - marker.length())) + marker;
  }

  /** "ExceptionClass: message" plus the causes' classes, for the stored error. */
  static String describe(Throwable t) {
    StringBuilder sb = new StringBuilder();
    Throwable cur = t;
    int depth = 0;
    while (cur != null && depth < 5) {
      if (depth > 0) {
        sb.append(" <- caused by ");
      }
      sb.append(cur.getClass().getName());
      if (cur.getMessage() != null) {
        sb.append(": ").append(cur.getMessage());
      }
      cur = cur.getCause() == cur ? null : cur.getCause();
      depth++;
    }
    return sb.toString();
  }

  /** Whether {@code s} holds a control character (names and ids must be printable). */
  static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  /** {@code s} cut to 64 characters (marked), for quoting a caller's input in an error. */
  static String shorten(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "…" : s;
  }
}
