package io.preconf.functions;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.preconf.functions.config.BlockFollowers;
import io.preconf.functions.config.EngineProducer;
import io.preconf.functions.config.FinalityProducer;
import io.preconf.functions.config.SignerKeys;

/**
 * The functions hand requests to the core through its ports. Only their wiring (the bean producers,
 * the block followers it starts, and the signing keys it reads from secrets) names an adapter.
 */
@AnalyzeClasses(
    packages = "io.preconf.functions",
    importOptions = ImportOption.DoNotIncludeTests.class)
class FunctionsArchitectureTest {
  private static final Class<?>[] WIRING = {
    EngineProducer.class, FinalityProducer.class, BlockFollowers.class, SignerKeys.class
  };

  @ArchTest
  static final ArchRule onlyTheWiringReachesTheAdapters =
      noClasses()
          .that()
          .resideInAPackage("io.preconf.functions..")
          .and()
          .doNotBelongToAnyOf(WIRING)
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.preconf.infra..")
          .because("a function hands its request to the core; the wiring picks the adapters");

  @ArchTest
  static final ArchRule onlyTheWiringTouchesABackendClient =
      noClasses()
          .that()
          .resideInAPackage("io.preconf.functions..")
          .and()
          .doNotBelongToAnyOf(WIRING)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.vertx.redis..",
              "io.vertx.mutiny.redis..",
              "io.quarkus.redis..",
              "io.vertx.pgclient..",
              "io.vertx.sqlclient..",
              "io.vertx.mutiny.sqlclient..",
              "org.hibernate..")
          .because("speaking Redis or SQL is the adapters' business, not a function's");
}
