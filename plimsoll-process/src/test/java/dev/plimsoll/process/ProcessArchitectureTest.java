package dev.plimsoll.process;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.plimsoll.ApiRules;
import org.junit.jupiter.api.Test;

/**
 * plimsoll-process depends on core, SLF4J and jackson-core only (Micrometer only in its binding
 * package), and no internal type shows in its public API.
 */
class ProcessArchitectureTest {
  private static final JavaClasses PROCESS =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.plimsoll.process");

  @Test
  void theModuleUsesOnlyCoreSlf4jJacksonCoreAndMicrometerInItsBinding() {
    classes()
        .that()
        .resideOutsideOfPackage("dev.plimsoll.process.micrometer..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "dev.plimsoll",
            "dev.plimsoll.internal",
            "dev.plimsoll.process..",
            "java..",
            "org.slf4j..",
            "com.fasterxml.jackson.core..")
        .check(PROCESS);
  }

  @Test
  void noInternalTypeAppearsInAPublicSignature() {
    ApiRules.NO_INTERNAL_TYPE_IN_PUBLIC_SIGNATURES.check(PROCESS);
  }
}
