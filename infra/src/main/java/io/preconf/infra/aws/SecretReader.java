package io.preconf.infra.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Reads a Secrets Manager secret through the AWS Parameters and Secrets Lambda Extension (a local
 * HTTP endpoint on port 2773, authenticated with the function's session token), so that no AWS SDK
 * is needed in the function.
 */
public final class SecretReader {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SecretReader() {}

  public static String read(String arn) {
    String port = System.getenv().getOrDefault("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT", "2773");
    String token = System.getenv("AWS_SESSION_TOKEN");
    if (token == null) {
      throw new IllegalStateException(
          "cannot read secret " + arn + ": AWS_SESSION_TOKEN is not set (not on AWS Lambda?)");
    }
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create(
                    "http://localhost:"
                        + port
                        + "/secretsmanager/get?secretId="
                        + URLEncoder.encode(arn, StandardCharsets.UTF_8)))
            .header("X-Aws-Parameters-Secrets-Token", token)
            .timeout(Duration.ofSeconds(5))
            .build();
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "cannot read secret "
                + arn
                + ": the secrets extension answered "
                + response.statusCode());
      }
      JsonNode secret = JSON.readTree(response.body()).get("SecretString");
      if (secret == null || !secret.isTextual()) {
        throw new IllegalStateException("secret " + arn + " has no SecretString");
      }
      return secret.asText().trim();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read secret " + arn + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading secret " + arn, e);
    }
  }
}
