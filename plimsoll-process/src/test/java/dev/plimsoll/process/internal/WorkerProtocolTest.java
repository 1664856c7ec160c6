package dev.plimsoll.process.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WorkerProtocolTest {
  @Test
  void aPayloadIsCompactedToOneLine() {
    assertThat(WorkerProtocol.compact("{ \"a\" :\n [1, \"x\\ny\"] }", "payload"))
        .isEqualTo("{\"a\":[1,\"x\\ny\"]}");
    assertThat(WorkerProtocol.request(3, "true")).isEqualTo("{\"id\":3,\"payload\":true}");
  }

  @Test
  void responsesAreParsedAndUnknownFieldsIgnored() {
    WorkerProtocol.Response ok =
        WorkerProtocol.response(
            "{\"id\":5,\"extra\":{\"n\":[1]},\"ok\":true,\"result\":{\"v\":1}}");
    assertThat(ok).isEqualTo(new WorkerProtocol.Response(5, true, "{\"v\":1}", null));
    WorkerProtocol.Response failed =
        WorkerProtocol.response("{\"id\":6,\"ok\":false,\"error\":\"boom\"}");
    assertThat(failed.error()).isEqualTo("boom");
  }

  @Test
  void aLineThatIsNotAResponseSaysWhy() {
    assertThatThrownBy(() -> WorkerProtocol.response("[1]"))
        .hasMessage("response is not a JSON object");
    assertThatThrownBy(() -> WorkerProtocol.response("{\"ok\":true}"))
        .hasMessage("response lacks field id");
    assertThatThrownBy(() -> WorkerProtocol.response("{\"id\":\"1\",\"ok\":true}"))
        .hasMessage("response id is not an integer");
  }
}
