package dev.plimsoll.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.server.TestServer.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad submissions get 400 naming the field, and nothing is stored. */
class InputValidationTest {
  static TestServer s;

  @BeforeAll
  static void start() {
    s = TestServer.start(TestServer.config());
  }

  @AfterAll
  static void stop() {
    s.close();
  }

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"type\":\"remote.x\"                       | invalid_json | body",
        "{\"type\":\"remote.x\"} trailing              | invalid_json | body",
        "{\"type\":\"remote.x\",\"type\":\"remote.y\"} | invalid_json | body",
        "[1,2,3]                                       | invalid      | body",
        "\"just a string\"                             | invalid      | body",
        "{}                                            | invalid      | type",
        "{\"type\":42}                                 | invalid      | type",
        "{\"type\":\"has space\"}                      | invalid      | type",
        "{\"type\":\"remote.x\",\"colour\":\"red\"}    | invalid      | colour",
        "{\"type\":\"remote.x\",\"priority\":\"high\"} | invalid      | priority",
        "{\"type\":\"remote.x\",\"priority\":10}       | invalid      | priority",
        "{\"type\":\"remote.x\",\"priority\":1.5}      | invalid      | priority",
        "{\"type\":\"remote.x\",\"maxAttempts\":0}     | invalid      | maxAttempts",
        "{\"type\":\"remote.x\",\"timeoutMillis\":0}   | invalid      | timeoutMillis",
        "{\"type\":\"remote.x\",\"delayMillis\":-1}    | invalid      | delayMillis",
        "{\"type\":\"remote.x\",\"runAt\":\"tomorrow\"} | invalid     | runAt",
        "{\"type\":\"remote.x\",\"queue\":\"a/b\"}     | invalid      | queue",
        "{\"type\":\"remote.x\",\"queue\":7}           | invalid      | queue",
        "{\"type\":\"remote.x\",\"delayMillis\":5,\"runAt\":\"2030-01-01T00:00:00Z\"} | invalid | delayMillis",
      })
  void aBadSubmissionIs400NamingTheFieldAndStoresNothing(String body, String code, String field) {
    long before = s.server.engine().stats().totalQueued();
    Response r = s.post("/v1/jobs", body);
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.code()).isEqualTo(code);
    assertThat(r.field()).isEqualTo(field);
    assertThat(r.json().path("error").path("message").asText()).isNotBlank();
    assertThat(s.server.engine().stats().totalQueued()).isEqualTo(before);
    assertThat(s.get("/v1/jobs").json().get("jobs")).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void aTooLongIdempotencyKeyIs400NamingTheHeader() {
    Response empty =
        s.post("/v1/jobs", "{\"type\":\"remote.x\"}", "Idempotency-Key", "x".repeat(201));
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.field()).isEqualTo("Idempotency-Key");
    assertThat(s.get("/v1/jobs").json().get("jobs")).isEmpty();
  }
}
