package dev.plimsoll.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/server.md documents every setting with its environment variable and default. */
class DocsTest {

  @Test
  void everyConfigKeyIsDocumentedWithItsEnvironmentVariableAndDefault() throws Exception {
    String doc = Files.readString(Path.of("../docs/server.md"));
    for (ConfigKey k : ServerConfig.keys()) {
      String def = k.defaultValue().isEmpty() ? "—" : "`" + k.defaultValue() + "`";
      assertThat(doc)
          .as(k.key())
          .contains("| `" + k.key() + "` | `" + k.envName() + "` | " + def + " |");
    }
  }
}
