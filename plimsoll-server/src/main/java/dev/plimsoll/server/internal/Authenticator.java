package dev.plimsoll.server.internal;

import dev.plimsoll.server.TokenGrant;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Maps {@code Authorization: Bearer <token>} to a {@link Principal}. Tokens are kept as SHA-256
 * digests, so the map holds no secret and a lookup compares digests, not the secrets themselves.
 * The map is bounded by the configured tokens.
 */
public final class Authenticator {
  private final Map<String, Principal> byDigest = new HashMap<>();

  public Authenticator(List<TokenGrant> grants) {
    for (TokenGrant g : grants) {
      byDigest.put(digest(g.token()), new Principal(g.tenant(), g.role()));
    }
  }

  public boolean enabled() {
    return !byDigest.isEmpty();
  }

  /** The caller, or an {@link ApiError} 401 naming what is wrong with the header. */
  public Principal authenticate(String header) {
    if (!enabled()) {
      return Principal.ANONYMOUS_ADMIN;
    }
    if (header == null || header.isBlank()) {
      throw unauthorized("missing Authorization: Bearer <token> header");
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw unauthorized("Authorization header must be 'Bearer <token>'");
    }
    Principal p = byDigest.get(digest(header.substring(7).trim()));
    if (p == null) {
      throw unauthorized("unknown token");
    }
    return p;
  }

  private static ApiError unauthorized(String message) {
    return new ApiError(401, "unauthorized", message, "Authorization", false);
  }

  private static String digest(String token) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
