package dev.plimsoll.watch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.plimsoll.ApiRules;
import org.junit.jupiter.api.Test;

/**
 * plimsoll-watch depends on core, OSHI, SLF4J and jackson-core (Micrometer only in its binding
 * package), never on picocli or the server, and no internal type shows in its public API.
 */
class WatchArchitectureTest {
  private static final JavaClasses WATCH =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.plimsoll.watch");

  @Test
  void theModuleUsesOnlyCoreOshiSlf4jJacksonAndMicrometerInItsBinding() {
    classes()
        .that()
        .resideOutsideOfPackage("dev.plimsoll.watch.micrometer..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "dev.plimsoll",
            "dev.plimsoll.internal",
            "dev.plimsoll.watch..",
            "java..",
            "javax.management..",
            "com.sun.management..",
            "oshi..",
            "org.slf4j..",
            "com.fasterxml.jackson.core..")
        .check(WATCH);
  }

  @Test
  void theMicrometerBindingUsesOnlyTheWatchApiAndMicrometer() {
    classes()
        .that()
        .resideInAPackage("dev.plimsoll.watch.micrometer..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "dev.plimsoll.watch", "dev.plimsoll.watch.micrometer..", "java..", "io.micrometer..")
        .check(WATCH);
  }

  @Test
  void noInternalTypeAppearsInAPublicSignature() {
    ApiRules.NO_INTERNAL_TYPE_IN_PUBLIC_SIGNATURES.check(WATCH);
  }
}
