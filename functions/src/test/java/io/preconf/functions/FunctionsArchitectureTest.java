package io.preconf.functions;

import static io.preconf.infra.AdapterAccess.onlyWiringReachesTheAdapters;
import static io.preconf.infra.AdapterAccess.onlyWiringTouchesABackendClient;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.preconf.functions.config.BlockFollowers;
import io.preconf.functions.config.EngineProducer;
import io.preconf.functions.config.FinalityProducer;
import io.preconf.functions.config.SignerKeys;
import io.preconf.functions.tools.SampleTransaction;

/**
 * The functions hand requests to the core through its ports. Only their wiring names an adapter:
 * the bean producers, the block followers they start, and the signing keys read from secrets.
 */
@AnalyzeClasses(
    packages = "io.preconf.functions",
    importOptions = ImportOption.DoNotIncludeTests.class)
class FunctionsArchitectureTest {
  // SampleTransaction is a command-line tool that wires a node client of its own.
  private static final Class<?>[] WIRING = {
    EngineProducer.class,
    FinalityProducer.class,
    BlockFollowers.class,
    SignerKeys.class,
    SampleTransaction.class
  };

  @ArchTest
  static final ArchRule onlyTheWiringReachesTheAdapters =
      onlyWiringReachesTheAdapters("io.preconf.functions..", WIRING);

  @ArchTest
  static final ArchRule onlyTheWiringTouchesABackendClient =
      onlyWiringTouchesABackendClient("io.preconf.functions..", WIRING);
}
