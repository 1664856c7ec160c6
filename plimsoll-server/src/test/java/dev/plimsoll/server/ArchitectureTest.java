package dev.plimsoll.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.plimsoll.ApiRules;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
  static final JavaClasses ALL =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.plimsoll");

  @Test
  void theLibraryModulesDoNotDependOnTheServer() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.plimsoll.server..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.plimsoll.server..")
        .check(ALL);
  }

  @Test
  void theServerUsesOnlyThePublicApiOfTheOtherModulesAndTheRateLimitedLog() {
    noClasses()
        .that()
        .resideInAPackage("dev.plimsoll.server..")
        .should()
        .dependOnClassesThat(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "internal classes of core, jdbc, redis or process (other than the rate-limited logs)",
                c ->
                    c.getPackageName().contains(".internal")
                        && !c.getPackageName().startsWith("dev.plimsoll.server")
                        && !c.getName().equals("dev.plimsoll.internal.KeyedRateLimitedLog")
                        && !c.getName().equals("dev.plimsoll.internal.RateLimitedLog")))
        .check(ALL);
  }

  @Test
  void noPublicSignatureOfTheServerExposesAnInternalType() {
    ApiRules.NO_INTERNAL_TYPE_IN_PUBLIC_SIGNATURES.check(
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.plimsoll.server"));
  }
}
