package dev.plimsoll;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/** Architecture rules every module checks (shipped in the core test-jar). */
public final class ApiRules {
  private ApiRules() {}

  /** No public method or constructor of a public API class takes or returns an internal type. */
  public static final ArchRule NO_INTERNAL_TYPE_IN_PUBLIC_SIGNATURES =
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
                  unit.getParameterTypes()
                      .forEach(p -> reportInternal(unit, p.toErasure(), events));
                  reportInternal(unit, unit.getRawReturnType(), events);
                }
              });

  /** Adds a violation if {@code type} lives in an internal package. */
  public static void reportInternal(Object where, JavaClass type, ConditionEvents events) {
    if (type.getPackageName().contains(".internal")) {
      events.add(
          SimpleConditionEvent.violated(where, where + " exposes internal type " + type.getName()));
    }
  }
}
