package dev.plimsoll.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The address rules of {@code http.allowedHosts}, on literals (no DNS needed). */
class HostPolicyTest {
  private static final String KEY = "http.allowedHosts";

  private static boolean allowed(String policy, String host) {
    return HostPolicy.parse(KEY, policy).refusal(host) == null;
  }

  @Test
  void publicAllowsInternetAddressesAndRefusesEveryInternalRange() throws Exception {
    for (String ok : new String[] {"8.8.8.8", "1.1.1.1", "2606:4700:4700::1111"}) {
      assertThat(allowed("public", ok)).as(ok).isTrue();
    }
    for (String no :
        new String[] {
          "127.0.0.1",
          "10.1.2.3",
          "172.16.0.1",
          "192.168.1.1",
          "169.254.169.254",
          "100.64.0.1",
          "0.0.0.0",
          "224.0.0.1",
          "255.255.255.255",
          "::1",
          "fe80::1",
          "fd00::1",
          "::ffff:10.0.0.1",
          "[::1]"
        }) {
      assertThat(allowed("public", no)).as(no).isFalse();
    }
    assertThat(HostPolicy.isPublic(InetAddress.getByName("::ffff:8.8.8.8"))).isTrue();
  }

  @Test
  void rangesAndNamesAllowExactlyWhatTheyList() {
    assertThat(allowed("10.1.0.0/16", "10.1.255.7")).isTrue();
    assertThat(allowed("10.1.0.0/16", "10.2.0.1")).isFalse();
    assertThat(allowed("10.1.0.0/16", "8.8.8.8")).isFalse();
    assertThat(allowed("fd00::/8", "fd12::1")).isTrue();
    assertThat(allowed("*.internal.example", "billing.internal.example")).isTrue();
    assertThat(allowed("*.internal.example", "evilinternal.example")).isFalse();
    assertThat(allowed("", "8.8.8.8")).isFalse();
  }

  @Test
  void aRefusalNamesTheHostTheAddressAndTheSetting() {
    assertThat(HostPolicy.parse(KEY, "public").refusal("169.254.169.254"))
        .contains("host 169.254.169.254")
        .contains("http.allowedHosts");
  }
}
