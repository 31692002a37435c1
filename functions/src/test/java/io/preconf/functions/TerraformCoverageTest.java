package io.preconf.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every function the code exports has its Lambda and its route in Terraform, and Terraform deploys
 * nothing else: terraform/functions.tf drives one Lambda and one POST route per key of its {@code
 * functions} map.
 */
class TerraformCoverageTest {
  private static final Path SOURCES = Path.of("src", "main", "java");
  private static final Path TERRAFORM = Path.of("..", "terraform", "functions.tf");
  private static final Pattern FUNQ =
      Pattern.compile("@Funq(?:\\(\\s*\"([^\"]+)\"\\s*\\))?\\s+public\\s+[^(]*?\\s(\\w+)\\s*\\(");

  @Test
  void terraformDeploysExactlyTheExportedFunctions() throws IOException {
    Set<String> exported = exportedFunctions();
    Set<String> deployed = terraformFunctions();

    assertThat(exported).contains("preconfirm", "validate", "status", "info");
    assertThat(deployed).isEqualTo(exported);
  }

  @Test
  void everyDeployedFunctionGetsALambdaAndARoute() throws IOException {
    String api = Files.readString(TERRAFORM.resolveSibling("api.tf"));
    String lambdas = Files.readString(TERRAFORM);
    // Both are driven by the one map, so a function cannot have one without the other.
    assertThat(lambdas)
        .containsPattern(
            "resource \"aws_lambda_function\" \"api\"[^{]*\\{\\s*for_each\\s*=\\s*local\\.functions");
    assertThat(api).containsPattern("for_each\\s*=\\s*local\\.functions");
  }

  static Set<String> exportedFunctions() throws IOException {
    Set<String> names = new TreeSet<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
        Matcher m = FUNQ.matcher(Files.readString(f));
        while (m.find()) {
          names.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
      }
    }
    return names;
  }

  /** The keys of {@code locals { functions = { name = { ... } } }}. */
  static Set<String> terraformFunctions() throws IOException {
    String tf = Files.readString(TERRAFORM);
    int start = tf.indexOf("functions = {");
    assertThat(start).as("terraform/functions.tf has a `functions = {` map").isNotNegative();
    Set<String> names = new TreeSet<>();
    int depth = 0;
    for (String line : tf.substring(start).split("\n")) {
      String t = line.strip();
      if (depth == 1) {
        Matcher m = Pattern.compile("^(\\w+)\\s*=\\s*\\{").matcher(t);
        if (m.find()) {
          names.add(m.group(1));
        }
      }
      depth += count(t, '{') - count(t, '}');
      if (depth == 0) {
        break;
      }
    }
    return names;
  }

  private static int count(String s, char c) {
    return (int) s.chars().filter(x -> x == c).count();
  }
}
