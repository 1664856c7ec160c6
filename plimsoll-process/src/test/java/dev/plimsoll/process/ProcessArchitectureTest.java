package dev.plimsoll.process;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
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
            "dev.plimsoll.process..",
            "java..",
            "org.slf4j..",
            "com.fasterxml.jackson.core..")
        .check(PROCESS);
  }

  @Test
  void noInternalTypeAppearsInAPublicSignature() {
    codeUnits()
        .that()
        .areDeclaredInClassesThat()
        .resideOutsideOfPackage("..internal..")
        .and()
        .arePublic()
        .should(
            new ArchCondition<JavaCodeUnit>("not use internal types in their signature") {
              @Override
              public void check(JavaCodeUnit unit, ConditionEvents events) {
                if (!unit.getOwner().getModifiers().contains(JavaModifier.PUBLIC)) {
                  return;
                }
                unit.getParameterTypes().forEach(p -> report(unit, p.toErasure(), events));
                report(unit, unit.getRawReturnType(), events);
              }
            })
        .check(PROCESS);
  }

  private static void report(Object where, JavaClass type, ConditionEvents events) {
    if (type.getPackageName().contains(".internal")) {
      events.add(
          SimpleConditionEvent.violated(where, where + " exposes internal type " + type.getName()));
    }
  }
}
