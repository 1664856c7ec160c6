package dev.plimsoll;

import static dev.plimsoll.JobState.CANCELLED;
import static dev.plimsoll.JobState.DEAD;
import static dev.plimsoll.JobState.QUEUED;
import static dev.plimsoll.JobState.RUNNING;
import static dev.plimsoll.JobState.SCHEDULED;
import static dev.plimsoll.JobState.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobStateTest {
  private static final Map<JobState, Set<JobState>> LEGAL =
      Map.of(
          SCHEDULED, EnumSet.of(QUEUED, CANCELLED),
          QUEUED, EnumSet.of(RUNNING, CANCELLED),
          RUNNING, EnumSet.of(SUCCEEDED, SCHEDULED, QUEUED, DEAD, CANCELLED),
          SUCCEEDED, EnumSet.noneOf(JobState.class),
          DEAD, EnumSet.of(QUEUED),
          CANCELLED, EnumSet.noneOf(JobState.class));

  @Test
  void exactlyTheSpecifiedTransitionsAreLegal() {
    for (JobState from : JobState.values()) {
      for (JobState to : JobState.values()) {
        boolean legal = LEGAL.get(from).contains(to);
        assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(legal);
        if (legal) {
          assertThat(from.checkMove(to)).isEqualTo(to);
        } else {
          assertThatThrownBy(() -> from.checkMove(to))
              .isInstanceOf(IllegalTransitionException.class)
              .hasMessageContaining(from + " -> " + to);
        }
      }
    }
  }

  @Test
  void succeededAndCancelledAreTerminal() {
    assertThat(EnumSet.allOf(JobState.class).stream().filter(JobState::isTerminal))
        .containsExactlyInAnyOrder(SUCCEEDED, CANCELLED);
  }
}
