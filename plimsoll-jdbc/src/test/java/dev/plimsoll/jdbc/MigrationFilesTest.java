package dev.plimsoll.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.plimsoll.jdbc.internal.Migrator;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MigrationFilesTest {

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void everyMigrationFileOfADialectIsListedInOrderAndNoListedFileIsMissing(String dialect)
      throws IOException, URISyntaxException {
    Path folder =
        Path.of(
            MigrationFilesTest.class
                .getClassLoader()
                .getResource("dev/plimsoll/jdbc/migrations/" + dialect)
                .toURI());
    try (Stream<Path> files = Files.list(folder)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .containsExactlyElementsOf(Migrator.FILES);
    }
    assertThat(Migrator.FILES).isSorted().allMatch(f -> f.matches("V\\d{3}__[a-z0-9_]+\\.sql"));
  }
}
