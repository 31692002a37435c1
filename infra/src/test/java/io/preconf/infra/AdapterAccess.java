package io.preconf.infra;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;

/**
 * Who may reach the adapters: in each entry point (the functions, the feed) its wiring, named class
 * by class, and no other class. The rest goes through the core's ports, so replacing a backend
 * touches the wiring only.
 */
public final class AdapterAccess {
  private static final String[] BACKEND_CLIENTS = {
    "io.vertx.redis..",
    "io.vertx.mutiny.redis..",
    "io.quarkus.redis..",
    "io.vertx.pgclient..",
    "io.vertx.sqlclient..",
    "io.vertx.mutiny.sqlclient..",
    "org.hibernate.."
  };

  private AdapterAccess() {}

  /** No class in {@code entryPoint} (a package pattern) but {@code wiring} uses an adapter. */
  public static ArchRule onlyWiringReachesTheAdapters(String entryPoint, Class<?>... wiring) {
    return noClasses()
        .that()
        .resideInAPackage(entryPoint)
        .and()
        .doNotBelongToAnyOf(wiring)
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.preconf.infra..")
        .because("an entry point works through the core's ports; its wiring picks the adapters");
  }

  /** No class in {@code entryPoint} but {@code wiring} speaks to Redis or SQL itself. */
  public static ArchRule onlyWiringTouchesABackendClient(String entryPoint, Class<?>... wiring) {
    return noClasses()
        .that()
        .resideInAPackage(entryPoint)
        .and()
        .doNotBelongToAnyOf(wiring)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(BACKEND_CLIENTS)
        .because("speaking Redis or SQL is the adapters' business");
  }
}
