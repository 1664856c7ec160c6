package dev.plimsoll.server.internal;

import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;

/** Reads request bodies within the size cap and the read deadline; see {@link Json#body}. */
public record BodyReader(long maxBytes, Clock clock, Duration timeout) {
  public byte[] read(Context ctx) {
    return Json.body(ctx, maxBytes, clock, timeout);
  }
}
