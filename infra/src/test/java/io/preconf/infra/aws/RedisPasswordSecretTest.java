package io.preconf.infra.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Redis password comes from its secret, named by ARN, never from the environment. */
class RedisPasswordSecretTest {
  private final List<String> read = new ArrayList<>();

  private SmallRyeConfig config(Map<String, String> values) {
    return new SmallRyeConfigBuilder()
        .withSources(new MapBackedConfigSource("test", values, 250) {})
        .withSources(
            new RedisPasswordSecret(
                arn -> {
                  read.add(arn);
                  return "token-of-" + arn;
                }))
        .build();
  }

  @Test
  void thePasswordIsTheSecretNamedByItsArn() {
    SmallRyeConfig c = config(Map.of(RedisPasswordSecret.SECRET_ARN, "arn:aws:secret:redis"));

    assertThat(c.getOptionalValue("quarkus.redis.password", String.class))
        .contains("token-of-arn:aws:secret:redis");
    assertThat(read).containsExactly("arn:aws:secret:redis");
  }

  @Test
  void withoutAnArnNothingIsReadAndNoPasswordIsSet() {
    SmallRyeConfig c = config(Map.of("quarkus.redis.hosts", "redis://127.0.0.1:6390"));

    assertThat(c.getOptionalValue("quarkus.redis.password", String.class)).isEmpty();
    assertThat(read).isEmpty();
  }
}
