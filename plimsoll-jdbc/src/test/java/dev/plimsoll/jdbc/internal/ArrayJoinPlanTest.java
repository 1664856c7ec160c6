package dev.plimsoll.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.jdbc.PgTestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The planner settings of batch statements over arrays hold for their own transaction only: a
 * pooled connection must not carry them into the next unit of work.
 */
class ArrayJoinPlanTest {
  @BeforeAll
  static void server() {
    PgTestDatabase.requireServer();
  }

  @Test
  void theSettingsHoldInsideTheTransactionAndEndWithIt() throws SQLException {
    try (Connection c = PgTestDatabase.connect()) {
      c.setAutoCommit(false);
      Rows.arrayJoinPlan(c);
      assertThat(show(c, "enable_nestloop")).isEqualTo("off");
      assertThat(show(c, "enable_seqscan")).isEqualTo("off");
      c.commit();
      assertThat(show(c, "enable_nestloop")).isEqualTo("on");
      assertThat(show(c, "enable_seqscan")).isEqualTo("on");
      Rows.arrayJoinPlan(c);
      c.rollback();
      assertThat(show(c, "enable_nestloop")).isEqualTo("on");
    }
  }

  @Test
  void aBatchOfNewIdsIsJoinedThroughTheKeyAndAHashWhateverTheStaleStatisticsSay()
      throws SQLException {
    try (Connection c = PgTestDatabase.connect();
        Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      // statistics taken when older jobs filled the table; the batch names ids newer than any of
      // them (ids are time-ordered), as every completion batch of the active table does
      s.execute("CREATE TEMP TABLE t (hi BIGINT, lo BIGINT, st INT, PRIMARY KEY (hi, lo))");
      s.execute("INSERT INTO t SELECT g, 7, 2 FROM generate_series(1, 2000) g");
      s.execute("ANALYZE t");
      s.execute("DELETE FROM t");
      s.execute("INSERT INTO t SELECT g, 7, 2 FROM generate_series(100001, 102000) g");
      StringBuilder ids = new StringBuilder("'{");
      for (int i = 100_001; i <= 102_000; i++) {
        ids.append(i == 100_001 ? "" : ",").append(i);
      }
      ids.append("}'::bigint[]");
      String move =
          "EXPLAIN DELETE FROM t USING unnest("
              + ids
              + ", array_fill(7::bigint, ARRAY[2000])) AS b(hi, lo) WHERE t.hi = ANY("
              + ids
              + ") AND t.hi = b.hi AND t.lo = b.lo AND t.st + 0 = 2";
      Rows.arrayJoinPlan(c);
      assertThat(plan(s, move))
          .contains("Hash Join", "t_pkey")
          .doesNotContain("Seq Scan on t", "Nested Loop");
      c.rollback();
    }
  }

  private static String show(Connection c, String setting) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW " + setting)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static String plan(Statement s, String explain) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (ResultSet rs = s.executeQuery(explain)) {
      while (rs.next()) {
        plan.append(rs.getString(1)).append('\n');
      }
    }
    return plan.toString();
  }
}
