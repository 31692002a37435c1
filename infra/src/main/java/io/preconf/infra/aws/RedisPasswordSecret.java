package io.preconf.infra.aws;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The Redis password ({@code quarkus.redis.password}) from the Secrets Manager secret named by
 * {@code preconf.redis.password-secret-arn}, read once when the configuration is built (on Lambda:
 * at start, before the SnapStart snapshot), so that the token never sits in a function's
 * environment. Without that setting it adds nothing; a password set directly still wins.
 */
public final class RedisPasswordSecret implements ConfigSourceFactory {
  public static final String SECRET_ARN = "preconf.redis.password-secret-arn";
  static final String PASSWORD = "quarkus.redis.password";

  /** Below the environment (300) and system properties (400), above application.properties. */
  static final int ORDINAL = 270;

  private final UnaryOperator<String> secrets;

  public RedisPasswordSecret() {
    this(SecretReader::read);
  }

  RedisPasswordSecret(UnaryOperator<String> secrets) {
    this.secrets = secrets;
  }

  @Override
  public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
    ConfigValue arn = context.getValue(SECRET_ARN);
    if (arn == null || arn.getValue() == null || arn.getValue().isBlank()) {
      return List.of();
    }
    String token = secrets.apply(arn.getValue().trim());
    return List.of(
        new MapBackedConfigSource(
            "Redis password from " + arn.getValue(), Map.of(PASSWORD, token), ORDINAL) {});
  }
}
