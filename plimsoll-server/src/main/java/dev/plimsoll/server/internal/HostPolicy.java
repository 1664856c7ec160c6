package dev.plimsoll.server.internal;

import dev.plimsoll.server.ConfigException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which hosts the {@code http} job type may call ({@code http.allowedHosts}): a comma-separated
 * list of entries, each one of
 *
 * <ul>
 *   <li>{@code public}: any host whose every resolved address is public (not loopback, private,
 *       link-local, carrier-grade NAT, unique-local, multicast or unspecified);
 *   <li>a host name ({@code api.example.com}) or a suffix pattern ({@code *.example.com}, which
 *       matches sub-domains, not the bare domain): the host is allowed whatever it resolves to;
 *   <li>an address or CIDR range ({@code 10.1.0.0/16}, {@code 127.0.0.1}, {@code fd00::/8}): an
 *       address in it is allowed.
 * </ul>
 *
 * A host not allowed by name is resolved and allowed only if every address it resolves to is
 * allowed (by {@code public} or a range), so a name with one internal address among public ones is
 * refused. The default is {@code public}; an empty list refuses every URL.
 */
public final class HostPolicy {
  private final boolean publicHosts;
  private final List<String> names = new ArrayList<>();
  private final List<String> suffixes = new ArrayList<>();
  private final List<byte[][]> ranges = new ArrayList<>(); // {network, mask}

  private HostPolicy(boolean publicHosts) {
    this.publicHosts = publicHosts;
  }

  /** Parses the setting; a bad entry is a {@link ConfigException} naming the key and the entry. */
  public static HostPolicy parse(String key, String value) {
    List<String> entries = new ArrayList<>();
    for (String e : value.split(",")) {
      if (!e.isBlank()) {
        entries.add(e.trim().toLowerCase(Locale.ROOT));
      }
    }
    HostPolicy p = new HostPolicy(entries.contains("public"));
    for (String e : entries) {
      if (e.equals("public")) {
        continue;
      }
      if (looksLikeAddress(e)) {
        p.ranges.add(range(key, e));
      } else if (e.startsWith("*.") && validName(e.substring(2))) {
        p.suffixes.add(e.substring(1));
      } else if (validName(e)) {
        p.names.add(e);
      } else {
        throw new ConfigException(
            key,
            "'"
                + e
                + "' is not public, a host name, *.suffix, an address or a CIDR range like"
                + " 10.0.0.0/8");
      }
    }
    return p;
  }

  /**
   * Null if {@code host} may be called, else why not. Resolves the host (a name that does not
   * resolve is refused here, so the caller learns it plainly).
   */
  public String refusal(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (names.contains(h) || suffixes.stream().anyMatch(h::endsWith)) {
      return null;
    }
    InetAddress[] all;
    try {
      all = InetAddress.getAllByName(h);
    } catch (UnknownHostException e) {
      return "host " + host + " does not resolve";
    }
    for (InetAddress a : all) {
      if (!allowed(a)) {
        return "host "
            + host
            + " ("
            + a.getHostAddress()
            + ") is not allowed by http.allowedHosts"
            + (publicHosts ? " (only public addresses are, unless listed)" : "");
      }
    }
    return null;
  }

  private boolean allowed(InetAddress a) {
    byte[] b = a.getAddress();
    for (byte[][] r : ranges) {
      if (in(b, r[0], r[1])) {
        return true;
      }
    }
    return publicHosts && isPublic(a);
  }

  /** Whether an address is on the public internet (IPv4-mapped IPv6 is judged as IPv4). */
  static boolean isPublic(InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length == 16 && isMapped(b)) {
      try {
        return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
      } catch (UnknownHostException e) {
        return false;
      }
    }
    if (a.isAnyLocalAddress()
        || a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return false;
    }
    int b0 = b[0] & 0xff;
    int b1 = b[1] & 0xff;
    if (b.length == 4) {
      return b0 != 0 // this network
          && !(b0 == 100 && (b1 & 0xc0) == 64) // 100.64.0.0/10 carrier-grade NAT
          && !(b0 == 192 && b1 == 0 && (b[2] & 0xff) == 0) // 192.0.0.0/24 protocol assignments
          && !(b0 == 198 && (b1 == 18 || b1 == 19)) // 198.18.0.0/15 benchmarking
          && b0 < 240; // reserved and broadcast
    }
    return (b0 & 0xfe) != 0xfc // fc00::/7 unique local
        && !(b0 == 0x20 && b1 == 0x01 && b[2] == 0x0d && (b[3] & 0xff) == 0xb8) // documentation
        && !(b0 == 0x00 && b1 == 0x64 && b[2] == (byte) 0xff && (b[3] & 0xff) == 0x9b); // NAT64
  }

  private static boolean isMapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
  }

  private static boolean in(byte[] addr, byte[] net, byte[] mask) {
    if (addr.length == 16 && net.length == 4 && isMapped(addr)) {
      addr = java.util.Arrays.copyOfRange(addr, 12, 16);
    }
    if (addr.length != net.length) {
      return false;
    }
    for (int i = 0; i < addr.length; i++) {
      if ((addr[i] & mask[i]) != net[i]) {
        return false;
      }
    }
    return true;
  }

  private static boolean looksLikeAddress(String e) {
    String a = e.contains("/") ? e.substring(0, e.indexOf('/')) : e;
    return a.contains(":") || a.matches("[0-9.]+");
  }

  private static byte[][] range(String key, String e) {
    String a = e;
    int bits = -1;
    int slash = e.indexOf('/');
    if (slash >= 0) {
      a = e.substring(0, slash);
      try {
        bits = Integer.parseInt(e.substring(slash + 1));
      } catch (NumberFormatException x) {
        bits = -2;
      }
    }
    byte[] net;
    try {
      if (!(a.contains(":") || a.matches("\\d{1,3}(\\.\\d{1,3}){3}"))) {
        throw new UnknownHostException(a);
      }
      net = InetAddress.getByName(a).getAddress(); // a literal: no lookup
    } catch (UnknownHostException x) {
      throw new ConfigException(key, "'" + e + "' is not an IP address or CIDR range");
    }
    int max = net.length * 8;
    if (bits == -1) {
      bits = max;
    }
    if (bits < 0 || bits > max) {
      throw new ConfigException(key, "'" + e + "' has a prefix length outside 0 to " + max);
    }
    byte[] mask = new byte[net.length];
    for (int i = 0; i < net.length; i++) {
      int n = Math.max(0, Math.min(8, bits - 8 * i));
      mask[i] = (byte) (0xff << (8 - n));
      net[i] &= mask[i];
    }
    return new byte[][] {net, mask};
  }

  private static boolean validName(String n) {
    return n.length() <= 253
        && n.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
  }
}
