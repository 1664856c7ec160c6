package dev.plimsoll.server.internal;

import dev.plimsoll.Job;
import dev.plimsoll.server.Role;
import java.util.Objects;

/**
 * Who sent a request: a tenant and a role. Without configured tokens every caller is the anonymous
 * admin (tenant null), which is why such a server binds to loopback only.
 */
public record Principal(String tenant, Role role) {
  public static final Principal ANONYMOUS_ADMIN = new Principal(null, Role.ADMIN);

  /** Whether this caller may see {@code job}: admins see all, others only their tenant's. */
  public boolean sees(Job job) {
    return role == Role.ADMIN || Objects.equals(tenant, job.owner());
  }
}
