package io.preconf.infra;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The adapters serve the entry points, never the other way round. */
@AnalyzeClasses(packages = "io.preconf.infra", importOptions = ImportOption.DoNotIncludeTests.class)
class InfraArchitectureTest {

  @ArchTest
  static final ArchRule knowsNoEntryPoint =
      noClasses()
          .that()
          .resideInAPackage("io.preconf.infra..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.preconf.functions..", "io.preconf.feed..")
          .because(
              "the functions and the feed choose their adapters; an adapter serves any of them");
}
