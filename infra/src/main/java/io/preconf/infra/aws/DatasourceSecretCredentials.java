package io.preconf.infra.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.credentials.CredentialsProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Database credentials from the RDS-managed Secrets Manager secret ({@code {"username": ..,
 * "password": ..}}), read when a connection is made, so that a rotated password is picked up
 * without a redeploy. Enabled with {@code quarkus.datasource.credentials-provider=
 * preconf-datasource-secret} and {@code preconf.datasource.password-secret-arn}.
 */
@ApplicationScoped
@Named(DatasourceSecretCredentials.NAME)
public class DatasourceSecretCredentials implements CredentialsProvider {
  public static final String NAME = "preconf-datasource-secret";
  private static final ObjectMapper JSON = new ObjectMapper();

  @ConfigProperty(name = "preconf.datasource.password-secret-arn")
  Optional<String> secretArn;

  @Override
  public Map<String, String> getCredentials(String credentialsProviderName) {
    String arn =
        secretArn
            .filter(a -> !a.isBlank())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "quarkus.datasource.credentials-provider is "
                            + NAME
                            + " but preconf.datasource.password-secret-arn is not set"));
    return parse(arn, SecretReader.read(arn));
  }

  static Map<String, String> parse(String arn, String secretJson) {
    JsonNode secret;
    try {
      secret = JSON.readTree(secretJson);
    } catch (IOException e) {
      throw new IllegalStateException("secret " + arn + " is not JSON", e);
    }
    JsonNode password = secret.get("password");
    if (password == null || !password.isTextual()) {
      throw new IllegalStateException("secret " + arn + " has no \"password\" field");
    }
    JsonNode user = secret.get("username");
    return user != null && user.isTextual()
        ? Map.of(USER_PROPERTY_NAME, user.asText(), PASSWORD_PROPERTY_NAME, password.asText())
        : Map.of(PASSWORD_PROPERTY_NAME, password.asText());
  }
}
