package dev.plimsoll.server;

import java.util.Objects;

/**
 * A bearer token of the server's config: who presents it (the tenant) and what it may do.
 *
 * @param token the secret, 16 to 512 printable characters
 * @param tenant the tenant it acts for: owner of the jobs it submits (1 to 128 of {@code
 *     [A-Za-z0-9._:-]})
 * @param role what it may do
 */
public record TokenGrant(String token, String tenant, Role role) {
  public static final int MIN_TOKEN_CHARS = 16;

  public TokenGrant {
    Objects.requireNonNull(role, "role");
    if (token == null
        || token.length() < MIN_TOKEN_CHARS
        || token.length() > 512
        || !token.chars().allMatch(c -> c > 32 && c < 127)) {
      throw new IllegalArgumentException(
          "token must be " + MIN_TOKEN_CHARS + " to 512 printable ASCII characters without spaces");
    }
    if (tenant == null || !tenant.matches("[A-Za-z0-9._:-]{1,128}")) {
      throw new IllegalArgumentException(
          "tenant must match [A-Za-z0-9._:-]{1,128}, got "
              + (tenant == null ? "null" : "'" + tenant + "'"));
    }
  }

  @Override
  public String toString() {
    return "TokenGrant[tenant=" + tenant + ", role=" + role.lowerName() + "]";
  }
}
