package dev.plimsoll.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A raw TCP client for what a well-behaved HTTP client would never send. */
final class RawHttp implements AutoCloseable {
  final Socket socket;
  final OutputStream out;
  final InputStream in;

  RawHttp(int port, int readTimeoutMillis) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(readTimeoutMillis);
    out = socket.getOutputStream();
    in = socket.getInputStream();
  }

  RawHttp send(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    return this;
  }

  /** Everything the server sends until it closes the connection or goes quiet for the timeout. */
  String readAll() throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] b = new byte[8192];
    try {
      int n;
      while ((n = in.read(b)) >= 0) {
        buf.write(b, 0, n);
        if (complete(buf.toString(StandardCharsets.ISO_8859_1))) {
          break;
        }
      }
    } catch (SocketTimeoutException e) {
      if (buf.size() == 0) {
        throw e;
      }
    } catch (IOException e) {
      if (buf.size() == 0) {
        return "";
      }
    }
    return buf.toString(StandardCharsets.ISO_8859_1);
  }

  /** What {@link #readAll} returns within {@code millis}, or null if nothing arrived. */
  String tryRead(int millis) throws IOException {
    int old = socket.getSoTimeout();
    socket.setSoTimeout(millis);
    try {
      return readAll();
    } catch (SocketTimeoutException e) {
      return null;
    } finally {
      socket.setSoTimeout(old);
    }
  }

  /** Whether a response with a Content-Length has arrived whole. */
  private static boolean complete(String s) {
    int end = s.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    String head = s.substring(0, end).toLowerCase(java.util.Locale.ROOT);
    int i = head.indexOf("content-length:");
    if (i < 0) {
      return false;
    }
    int eol = head.indexOf("\r\n", i);
    long len = Long.parseLong(head.substring(i + 15, eol < 0 ? head.length() : eol).trim());
    return s.length() - end - 4 >= len;
  }

  static String head(String method, String path, String... headers) {
    StringBuilder b = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\n");
    for (String h : headers) {
      b.append(h).append("\r\n");
    }
    return b.append("\r\n").toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
