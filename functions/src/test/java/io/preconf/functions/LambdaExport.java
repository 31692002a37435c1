package io.preconf.functions;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** Test profiles that export one function to the Lambda binding, as one deployment does. */
public abstract class LambdaExport implements QuarkusTestProfile {
  private final String function;

  LambdaExport(String function) {
    this.function = function;
  }

  @Override
  public Map<String, String> getConfigOverrides() {
    return Map.of("quarkus.funqy.export", function);
  }

  public static final class Preconfirm extends LambdaExport {
    public Preconfirm() {
      super("preconfirm");
    }
  }

  public static final class Validate extends LambdaExport {
    public Validate() {
      super("validate");
    }
  }

  public static final class Status extends LambdaExport {
    public Status() {
      super("status");
    }
  }

  /** reconcile, with the test chain of {@link FinalityChain} served too. */
  public static final class Reconcile extends LambdaExport {
    public Reconcile() {
      super("reconcile");
    }

    @Override
    public Map<String, String> getConfigOverrides() {
      Map<String, String> config = new java.util.HashMap<>(super.getConfigOverrides());
      config.putAll(FinalityChain.CONFIG);
      return config;
    }
  }

  public static final class Info extends LambdaExport {
    public Info() {
      super("info");
    }
  }

  public static final class Rpc extends LambdaExport {
    public Rpc() {
      super("rpc");
    }
  }
}
