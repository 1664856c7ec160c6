package dev.plimsoll.bench;

import dev.plimsoll.server.PlimsollServer;
import dev.plimsoll.server.ServerConfig;
import io.javalin.Javalin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The job server over loopback HTTP with keep-alive: {@code submit} is {@code POST /v1/jobs}
 * answered 202 (a no-op job type, in-memory or SQLite store), and the same jobs 100 at a time
 * through {@code POST /v1/jobs/batch}; {@code endToEnd} submits a fixed number of jobs and stops
 * the clock when the engine has run them all; the anchor is a bare Javalin endpoint on the same
 * Jetty settings that reads the body and answers 202 with a fixed JSON, measured in the same run.
 * Clients are {@code connections} threads, each with one keep-alive socket and one request in
 * flight (no pipelining), in the same JVM as the server (on 2 cores they share the CPU with it, as
 * a co-located service would).
 *
 * <pre>java -cp plimsoll-bench/target/benchmarks.jar dev.plimsoll.bench.ServerThroughput [seconds]
 * [iterations] [connections]</pre>
 */
public final class ServerThroughput {
  private static final String REMOTE_BODY = "{\"type\":\"remote.noop\",\"payload\":{\"n\":42}}";
  private static final String BODY =
      "{\"type\":\"noop\",\"payload\":{\"to\":\"ada@example.com\",\"n\":42}}";
  private static final int BATCH = 100;
  private static final String BATCH_BODY =
      "{\"jobs\":[" + String.join(",", java.util.Collections.nCopies(BATCH, BODY)) + "]}";

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int connections = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    System.out.printf(
        "ServerThroughput: %d x %d s, %d keep-alive connections, %d cores, Java %s%n",
        iterations,
        seconds,
        connections,
        Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    List<String> rows = new ArrayList<>();
    Path dir = Files.createTempDirectory("plimsoll-bench");
    if (Boolean.getBoolean("remoteOnly")) { // -DremoteOnly=true: the remote-worker row alone
      System.out.println(remoteRow(dir, iterations, connections));
      System.out.println(
          "calls sent again after their connection closed unanswered: " + RESENT.sum());
      System.exit(0);
    }
    rows.add(
        RateTable.row(
            "anchor: bare Javalin POST 202", rate(anchor(), seconds, iterations, connections)));
    for (String store : List.of("memory", "sqlite")) {
      try (PlimsollServer server = server(store, dir)) {
        rows.add(
            RateTable.row(
                "submit (" + store + ")", rate(server.port(), seconds, iterations, connections)));
        rows.add(
            RateTable.row(
                "endToEnd 50,000 jobs (" + store + ")",
                endToEnd(server, 50_000, iterations, connections)));
        rows.add(
            RateTable.row(
                "submit batches of " + BATCH + ", jobs/s (" + store + ")",
                times(
                    BATCH,
                    rate(
                        server.port(),
                        seconds,
                        iterations,
                        connections,
                        "/v1/jobs/batch",
                        BATCH_BODY))));
      }
    }
    rows.add(remoteRow(dir, iterations, connections));
    System.out.println();
    System.out.println("| scenario | median req/s or jobs/s | iterations |");
    System.out.println("|---|---:|---|");
    rows.forEach(System.out::println);
    System.out.println();
    System.out.println(
        "remote-worker calls sent again after their connection closed unanswered: " + RESENT.sum());
    System.exit(0);
  }

  /** The remote-worker row, on a server of its own (memory store). */
  private static String remoteRow(Path dir, int iterations, int connections) throws Exception {
    try (PlimsollServer server = server("memory", dir)) {
      return RateTable.row(
          "remote workers 20,000 jobs (memory)", remote(server, 20_000, iterations, connections));
    }
  }

  private static long[] times(int factor, long[] values) {
    long[] out = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = values[i] * factor;
    }
    return out;
  }

  private static PlimsollServer server(String store, Path dir) {
    ServerConfig config =
        ServerConfig.builder()
            .set("server.port", "0")
            .set("store.kind", store)
            .set("store.url", store.equals("sqlite") ? dir.resolve("jobs.db").toString() : "")
            .set("engine.concurrency", "2")
            .set("engine.queue.capacity", "10000000")
            .set("engine.retention.maxCount", "10000")
            .set("engine.maintenanceInterval", "1s")
            .set("shutdown.mode", "CANCEL_PENDING")
            .build();
    return PlimsollServer.builder(config).handler("noop", ctx -> null).start();
  }

  private static int anchor() {
    Javalin app =
        Javalin.create(
                cfg -> {
                  cfg.showJavalinBanner = false;
                  cfg.jetty.threadPool = new org.eclipse.jetty.util.thread.QueuedThreadPool(32, 8);
                })
            .post(
                "/v1/jobs",
                ctx -> {
                  ctx.bodyAsBytes();
                  ctx.status(202)
                      .contentType("application/json")
                      .result(
                          "{\"id\":\"01a23305-6e21-7000-bb86-a8fa618c58e5\",\"status\":\"QUEUED\"}");
                })
            .start("127.0.0.1", 0);
    return app.port();
  }

  /** Requests/s of each iteration, after two warm-up iterations. */
  private static long[] rate(int port, int seconds, int iterations, int connections)
      throws Exception {
    return rate(port, seconds, iterations, connections, "/v1/jobs", BODY);
  }

  private static long[] rate(
      int port, int seconds, int iterations, int connections, String path, String body)
      throws Exception {
    long[] out = new long[iterations];
    for (int i = -2; i < iterations; i++) {
      long n = load(port, connections, seconds * 1_000L, Long.MAX_VALUE, path, body);
      if (i >= 0) {
        out[i] = n / seconds;
      }
    }
    return out;
  }

  private static long[] endToEnd(PlimsollServer server, int jobs, int iterations, int connections)
      throws Exception {
    long[] out = new long[iterations];
    LongSupplier done = () -> server.engine().stats().totalSucceeded();
    for (int i = -1; i < iterations; i++) {
      long before = done.getAsLong();
      long start = System.nanoTime();
      load(server.port(), connections, Long.MAX_VALUE, jobs);
      while (done.getAsLong() - before < jobs) {
        Thread.onSpinWait();
      }
      long nanos = System.nanoTime() - start;
      if (i >= 0) {
        out[i] = jobs * 1_000_000_000L / nanos;
      }
    }
    return out;
  }

  /**
   * Jobs of a type with no handler, submitted over HTTP and run by 4 remote-worker threads that
   * claim up to 100 at a time by long-poll and complete each with its token over HTTP.
   */
  private static long[] remote(PlimsollServer server, int jobs, int iterations, int connections)
      throws Exception {
    long[] out = new long[iterations];
    java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    String base = server.url();
    for (int i = -1; i < iterations; i++) {
      long before = server.engine().stats().totalSucceeded();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> workers = new ArrayList<>();
      for (int w = 0; w < 4; w++) {
        Thread t =
            new Thread(
                () -> {
                  try {
                    while (!stop.get()) {
                      var claim =
                          java.net.http.HttpRequest.newBuilder(
                                  java.net.URI.create(base + "/v1/workers/claim"))
                              .POST(
                                  java.net.http.HttpRequest.BodyPublishers.ofString(
                                      "{\"workerId\":\"bench\",\"types\":[\"remote.noop\"],\"max\":100,\"waitMillis\":200}"))
                              .build();
                      var leases =
                          json.readTree(
                                  send(
                                          client,
                                          claim,
                                          java.net.http.HttpResponse.BodyHandlers.ofString())
                                      .body())
                              .get("jobs");
                      for (var l : leases) {
                        var done =
                            java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create(
                                        base + "/v1/jobs/" + l.get("id").asText() + "/complete"))
                                .POST(
                                    java.net.http.HttpRequest.BodyPublishers.ofString(
                                        "{\"token\":" + l.get("token").asLong() + "}"))
                                .build();
                        int code =
                            send(client, done, java.net.http.HttpResponse.BodyHandlers.discarding())
                                .statusCode();
                        if (code != 200 && code != 409) { // 409: a resent complete, stale
                          throw new IllegalStateException("complete answered " + code);
                        }
                      }
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                "bench-remote-" + w);
        workers.add(t);
        t.start();
      }
      long start = System.nanoTime();
      load(server.port(), connections, Long.MAX_VALUE, jobs, "/v1/jobs", REMOTE_BODY);
      while (server.engine().stats().totalSucceeded() - before < jobs) {
        Thread.onSpinWait();
      }
      long nanos = System.nanoTime() - start;
      stop.set(true);
      for (Thread t : workers) {
        t.join();
      }
      if (i >= 0) {
        out[i] = jobs * 1_000_000_000L / nanos;
      }
    }
    return out;
  }

  /** Connections the remote-worker clients saw closed under them (each call then sent again). */
  private static final LongAdder RESENT = new LongAdder();

  /**
   * Sends {@code request}, once more if the keep-alive connection it went out on was closed without
   * an answer (as a worker does; both calls are safe to repeat: a repeated claim returns other
   * jobs, a repeated complete is refused as stale). Counted in {@link #RESENT}.
   */
  private static <T> java.net.http.HttpResponse<T> send(
      java.net.http.HttpClient client,
      java.net.http.HttpRequest request,
      java.net.http.HttpResponse.BodyHandler<T> body)
      throws IOException, InterruptedException {
    try {
      return client.send(request, body);
    } catch (IOException e) {
      RESENT.increment();
      return client.send(request, body);
    }
  }

  private static long load(int port, int connections, long millis, long total) throws Exception {
    return load(port, connections, millis, total, "/v1/jobs", BODY);
  }

  /**
   * Sends POSTs of {@code body} to {@code path} until {@code millis} pass or {@code total} were
   * answered; returns the count.
   */
  private static long load(
      int port, int connections, long millis, long total, String path, String body)
      throws Exception {
    LongAdder answered = new LongAdder();
    LongAdder sent = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(connections);
    byte[] request =
        ("POST "
                + path
                + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length()
                + "\r\n\r\n"
                + body)
            .getBytes(StandardCharsets.ISO_8859_1);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      Thread t =
          new Thread(
              () -> {
                try (Socket s = new Socket("127.0.0.1", port)) {
                  s.setTcpNoDelay(true);
                  OutputStream out = s.getOutputStream();
                  InputStream in = s.getInputStream();
                  byte[] buf = new byte[1 << 16];
                  while (!stop.get()) {
                    sent.increment();
                    if (sent.sum() > total) {
                      break;
                    }
                    out.write(request);
                    readResponse(in, buf);
                    answered.increment();
                  }
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                } finally {
                  done.countDown();
                }
              },
              "bench-client-" + c);
      threads.add(t);
      t.start();
    }
    if (millis != Long.MAX_VALUE) {
      done.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
      stop.set(true);
    }
    done.await();
    return answered.sum();
  }

  /** Reads one response with a Content-Length; fails on anything but 202. */
  private static void readResponse(InputStream in, byte[] buf) throws IOException {
    int len = 0;
    int headerEnd = -1;
    long bodyLen = -1;
    while (true) {
      int n = in.read(buf, len, buf.length - len);
      if (n < 0) {
        throw new IOException("connection closed");
      }
      len += n;
      if (headerEnd < 0) {
        String s = new String(buf, 0, len, StandardCharsets.ISO_8859_1);
        headerEnd = s.indexOf("\r\n\r\n");
        if (headerEnd >= 0) {
          if (!s.startsWith("HTTP/1.1 202")) {
            throw new IOException("unexpected answer: " + s);
          }
          int i = s.toLowerCase(java.util.Locale.ROOT).indexOf("content-length:");
          bodyLen = Long.parseLong(s.substring(i + 15, s.indexOf("\r\n", i)).trim());
        }
      }
      if (headerEnd >= 0 && len - headerEnd - 4 >= bodyLen) {
        return;
      }
    }
  }
}
