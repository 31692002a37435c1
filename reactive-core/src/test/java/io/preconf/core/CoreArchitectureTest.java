package io.preconf.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The core's shape, checked on its compiled classes. Which artifacts may reach its classpath at all
 * (Quarkus, Vert.x, Hibernate, Redis clients, JDBC drivers, the adapter modules) is the enforcer's
 * rule in this module's pom; these are the rules only the classes can tell.
 */
@AnalyzeClasses(packages = "io.preconf.core", importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {

  /**
   * Each package can be read, tested and moved knowing only those below it: none reaches back up
   * through another.
   */
  @ArchTest
  static final ArchRule packagesFormNoCycle =
      slices().matching("io.preconf.core.(*)..").should().beFreeOfCycles();

  /**
   * JDBC comes with the JDK and Jackson is on the test classpath for the vectors, so no banned
   * artifact keeps them out: storage and wire formats belong to the adapters.
   */
  @ArchTest
  static final ArchRule usesNeitherJdbcNorJackson =
      noClasses()
          .that()
          .resideInAPackage("io.preconf.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("java.sql..", "javax.sql..", "com.fasterxml.jackson..")
          .because("SQL and JSON are the adapters' business; the core speaks through its ports");
}
