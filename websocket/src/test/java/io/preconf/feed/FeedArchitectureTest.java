package io.preconf.feed;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The feed reads lanes through the core's ports. Only its wiring, {@link FeedBeans}, builds the
 * adapters behind them, so swapping Redis or PostgreSQL for something else touches that one class.
 */
@AnalyzeClasses(packages = "io.preconf.feed", importOptions = ImportOption.DoNotIncludeTests.class)
class FeedArchitectureTest {

  @ArchTest
  static final ArchRule onlyTheWiringReachesTheAdapters =
      noClasses()
          .that()
          .resideInAPackage("io.preconf.feed..")
          .and()
          .doNotBelongToAnyOf(FeedBeans.class)
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.preconf.infra..")
          .because("the feed reads lanes through the core's ports; FeedBeans picks the adapters");

  @ArchTest
  static final ArchRule onlyTheWiringTouchesABackendClient =
      noClasses()
          .that()
          .resideInAPackage("io.preconf.feed..")
          .and()
          .doNotBelongToAnyOf(FeedBeans.class)
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
          .because("speaking Redis or SQL is the adapters' business, not the feed's");
}
