package dev.plimsoll;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

/**
 * Module boundaries and API hygiene: core depends on no other Plimsoll module and on nothing but
 * the JDK, SLF4J and (in its Micrometer binding only) Micrometer; no internal type appears in a
 * public signature of the public API.
 */
class ArchitectureTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.plimsoll");

  @Test
  void coreDependsOnNoOtherPlimsollModule() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.plimsoll.jdbc..",
            "dev.plimsoll.redis..",
            "dev.plimsoll.process..",
            "dev.plimsoll.watch..",
            "dev.plimsoll.server..",
            "dev.plimsoll.bench..")
        .check(CORE);
  }

  @Test
  void coreUsesOnlyTheJdkSlf4jAndMicrometerInItsBinding() {
    classes()
        .that()
        .resideOutsideOfPackage("dev.plimsoll.micrometer..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("dev.plimsoll..", "java..", "org.slf4j..")
        .check(CORE);
  }

  @Test
  void noInternalTypeAppearsInAPublicSignatureOfTheApi() {
    ApiRules.NO_INTERNAL_TYPE_IN_PUBLIC_SIGNATURES.check(CORE);
    fields()
        .that()
        .areDeclaredInClassesThat()
        .resideOutsideOfPackage("..internal..")
        .and()
        .arePublic()
        .should(
            new ArchCondition<JavaField>("not have internal types") {
              @Override
              public void check(JavaField field, ConditionEvents events) {
                if (field.getRawType().getPackageName().contains(".internal")) {
                  events.add(
                      SimpleConditionEvent.violated(field, field.getFullName() + " is internal"));
                }
              }
            })
        .check(CORE);
  }

  @Test
  void publicApiTypesDoNotExtendInternalTypes() {
    classes()
        .that()
        .resideOutsideOfPackage("..internal..")
        .and()
        .arePublic()
        .should(
            new ArchCondition<JavaClass>("not extend or implement internal types") {
              @Override
              public void check(JavaClass c, ConditionEvents events) {
                c.getAllRawSuperclasses().forEach(s -> ApiRules.reportInternal(c, s, events));
                c.getAllRawInterfaces().forEach(i -> ApiRules.reportInternal(c, i, events));
              }
            })
        .check(CORE);
  }
}
