package dev.plimsoll.server.internal;

import dev.plimsoll.server.Role;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.EnumSet;
import java.util.Set;

/** Registers routes with authentication and a role check in front of each. */
public final class Router {
  /** A route body that knows its caller. */
  @FunctionalInterface
  public interface Endpoint {
    void handle(Context ctx, Principal caller) throws Exception;
  }

  public static final Set<Role> CLIENTS = EnumSet.of(Role.ADMIN, Role.CLIENT);
  public static final Set<Role> WORKERS = EnumSet.of(Role.ADMIN, Role.WORKER);
  public static final Set<Role> ADMINS = EnumSet.of(Role.ADMIN);

  private final Javalin app;
  private final Authenticator auth;

  public Router(Javalin app, Authenticator auth) {
    this.app = app;
    this.auth = auth;
  }

  public void add(HandlerType method, String path, Set<Role> roles, Endpoint endpoint) {
    app.addHttpHandler(
        method,
        path,
        ctx -> {
          Principal p = auth.authenticate(ctx.header("Authorization"));
          if (!roles.contains(p.role())) {
            throw new ApiError(
                403,
                "forbidden",
                "role " + p.role().lowerName() + " may not " + method + " " + path,
                null,
                false);
          }
          endpoint.handle(ctx, p);
        });
  }

  /** A route without authentication (health, metrics, the OpenAPI document). */
  public void open(HandlerType method, String path, io.javalin.http.Handler handler) {
    app.addHttpHandler(method, path, handler);
  }
}
