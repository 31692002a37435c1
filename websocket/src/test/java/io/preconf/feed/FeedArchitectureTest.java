package io.preconf.feed;

import static io.preconf.infra.AdapterAccess.onlyWiringReachesTheAdapters;
import static io.preconf.infra.AdapterAccess.onlyWiringTouchesABackendClient;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The feed reads lanes, and delivery hands them to the nodes, through the core's ports; only {@link
 * FeedBeans} and {@link DeliveryBeans} build the adapters.
 */
@AnalyzeClasses(packages = "io.preconf.feed", importOptions = ImportOption.DoNotIncludeTests.class)
class FeedArchitectureTest {

  @ArchTest
  static final ArchRule onlyTheWiringReachesTheAdapters =
      onlyWiringReachesTheAdapters(
          "io.preconf.feed..",
          FeedBeans.class,
          // Builds the forwarders from the Redis lease, the PostgreSQL ledger and the JSON-RPC
          // node; the forwarders themselves are the core's.
          DeliveryBeans.class);

  @ArchTest
  static final ArchRule onlyTheWiringTouchesABackendClient =
      onlyWiringTouchesABackendClient("io.preconf.feed..", FeedBeans.class, DeliveryBeans.class);
}
