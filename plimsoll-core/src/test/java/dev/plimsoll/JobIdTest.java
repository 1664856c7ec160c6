package dev.plimsoll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.plimsoll.internal.JobIds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobIdTest {
  @Test
  void idsAreVersion7UuidsThatIncreaseEvenWhenTheClockStandsStill() {
    SettableClock clock = SettableClock.atFixedStart();
    JobIds ids = new JobIds(clock);
    List<JobId> made = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      made.add(ids.next());
    }
    for (int i = 1; i < made.size(); i++) {
      assertThat(made.get(i)).isGreaterThan(made.get(i - 1));
    }
    UUID uuid = UUID.fromString(made.get(0).toString());
    assertThat(uuid.version()).isEqualTo(7);
    assertThat(made.get(0).timestampMillis()).isEqualTo(clock.millis());
  }

  @Test
  void idsStillIncreaseWhenTheClockStepsBack() {
    SettableClock clock = SettableClock.atFixedStart();
    JobIds ids = new JobIds(clock);
    JobId before = ids.next();
    clock.advance(Duration.ofSeconds(-10));
    assertThat(ids.next()).isGreaterThan(before);
  }

  @Test
  void parsingRoundTripsAndRejectsGarbageNamingTheField() {
    JobId id = new JobIds(SettableClock.atFixedStart()).next();
    assertThat(JobId.parse(id.toString())).isEqualTo(id);
    assertThatThrownBy(() -> JobId.parse("not-an-id"))
        .isInstanceOfSatisfying(
            InvalidJobException.class, e -> assertThat(e.field()).isEqualTo("id"));
  }
}
