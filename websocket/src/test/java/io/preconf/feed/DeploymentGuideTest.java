package io.preconf.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The deployment guide ({@code terraform/README.md}) and the root README work as written: every
 * path, Maven module and script they name is in the repository, the Terraform names the guide uses
 * are declared, and the feed's image ({@code websocket/src/main/docker/Dockerfile.jvm}) serves the
 * port and health path the load balancer checks. No Docker engine is reachable in CI, so the image
 * is checked here as text.
 *
 * <p>What counts as a path: a word in a code span, a code block or a link target that looks like
 * one. A word with a slash is checked when it starts at a folder of the repository (or of the
 * guide's own folder) or ends like a source file; a bare file name ({@code versions.tf}) passes
 * when a file of that name is anywhere in the repository. A path through a folder git ignores
 * ({@code functions/target/function.zip}, {@code .run/dev-keys.env}) is something a build or a run
 * writes: only the part before that folder must exist, a Maven module before {@code target}.
 */
class DeploymentGuideTest {
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
  private static final List<String> GUIDES = List.of("README.md", "terraform/README.md");
  private static final String TERRAFORM_GUIDE = "terraform/README.md";
  private static final Path DOCKERFILE = Path.of("src", "main", "docker", "Dockerfile.jvm");
  private static final Path FEED_PROPERTIES =
      Path.of("src", "main", "resources", "application.properties");

  /** Folders whose scripts the guides run directly, and that a rename must not silently skip. */
  private static final Set<String> SCRIPT_FOLDERS =
      Set.of("bin", "bench", "infra", "terraform", ".ci");

  /** File name endings a bare name must have to be taken for a file of the repository. */
  private static final Set<String> SOURCE_EXTENSIONS =
      Set.of(
          "md sh java tf hcl mjs js xml properties example jvm dockerignore sql yml yaml toml"
              .split(" "));

  private static final Pattern FENCE =
      Pattern.compile("^\\s*```[^\\n]*\\n(.*?)^\\s*```", Pattern.MULTILINE | Pattern.DOTALL);
  private static final Pattern INLINE = Pattern.compile("`([^`]+)`");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern WORD_SEPARATORS = Pattern.compile("[\\s\"'(){}\\[\\];|&<>=,`]+");
  private static final Pattern PATH_LIKE =
      Pattern.compile("(?:\\.{1,2}/)*[A-Za-z0-9_.][A-Za-z0-9_.*-]*(?:/[A-Za-z0-9_.*-]+)*/?");
  private static final Pattern MODULES = Pattern.compile("(?:-pl|--projects)\\s+([\\w.,:!-]+)");
  private static final Pattern COMMAND_BREAKS = Pattern.compile("&&|\\|\\||;|\\||\\$\\(|\\(");
  private static final Pattern CD = Pattern.compile("^cd\\s+(\\S+)");

  @Test
  void everyPathTheGuidesNameExists() throws IOException {
    Repository repo = Repository.scan();
    Set<String> missing = new LinkedHashSet<>();
    for (String guide : GUIDES) {
      Path dir = ROOT.resolve(guide).getParent();
      for (Snippet snippet : snippets(guide)) {
        List<Path> bases = new ArrayList<>(List.of(dir, ROOT));
        for (String line : snippet.lines()) {
          for (String command : commands(line)) {
            Matcher cd = CD.matcher(command);
            if (cd.find()) {
              Path target = repo.resolve(cd.group(1), bases);
              if (target == null || !Files.isDirectory(target)) {
                missing.add(guide + ": `cd " + cd.group(1) + "` (no such folder)");
              } else {
                bases.add(target);
              }
            }
          }
          for (String word : words(line)) {
            String problem = repo.problemWith(word, bases);
            if (problem != null) {
              missing.add(guide + ": `" + word + "` (" + problem + ")");
            }
          }
        }
      }
      for (String target : linkTargets(guide)) {
        if (repo.resolve(target, List.of(dir)) == null) {
          missing.add(guide + ": link " + target + " (no such file)");
        }
      }
    }
    assertThat(missing).as("paths the guides name that are not in the repository").isEmpty();
  }

  @Test
  void everyModuleTheGuidesBuildIsInTheReactor() {
    Set<String> reactor = new TreeSet<>();
    Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(read(ROOT.resolve("pom.xml")));
    while (m.find()) {
      reactor.add(m.group(1).strip());
    }
    assertThat(reactor).contains("functions", "websocket");
    Set<String> named = new TreeSet<>();
    for (String guide : GUIDES) {
      for (Snippet snippet : snippets(guide)) {
        Matcher pl = MODULES.matcher(String.join("\n", snippet.lines()));
        while (pl.find()) {
          for (String module : pl.group(1).split(",")) {
            named.add(module.replaceFirst("^[!:]+", ""));
          }
        }
      }
    }
    assertThat(named).as("modules the guides build with -pl").contains("functions", "websocket");
    assertThat(reactor).as("modules of the root pom.xml").containsAll(named);
  }

  @Test
  void everyScriptTheGuidesRunIsExecutable() {
    Set<String> broken = new LinkedHashSet<>();
    int scripts = 0;
    for (String guide : GUIDES) {
      for (Snippet snippet : snippets(guide)) {
        for (String line : snippet.lines()) {
          for (String command : commands(line)) {
            String program = command.replaceFirst("^(?:\\w+=\\S*\\s+)*", "").split("\\s+")[0];
            if (!isScript(program)) {
              continue;
            }
            scripts++;
            Path file = ROOT.resolve(program).normalize();
            if (!Files.isRegularFile(file) || !Files.isExecutable(file)) {
              broken.add(guide + ": `" + program + "`");
            }
          }
        }
      }
    }
    assertThat(scripts).as("scripts the guides run").isPositive();
    assertThat(broken).as("scripts the guides run that are missing or not executable").isEmpty();
  }

  @Test
  void terraformNamesTheGuideUsesAreDeclared() throws IOException {
    Terraform tf = Terraform.read();
    List<String> undeclared = new ArrayList<>();
    for (Snippet snippet : snippets(TERRAFORM_GUIDE)) {
      String text = String.join("\n", snippet.lines());
      find(text, "terraform output (?:-raw |-json )?(\\w+)", tf.outputs, "output", undeclared);
      find(text, "-(?:target|replace)=([\\w.]+)", tf.resources, "resource", undeclared);
      String span = text.strip();
      if (snippet.inline() && span.matches("aws_\\w+\\.\\w+")) {
        check(span, tf.resources, "resource", undeclared);
      } else if (snippet.inline() && span.matches("aws_\\w+")) {
        check(span, tf.types, "resource or data type", undeclared);
      } else if (snippet.inline() && span.matches("var\\.\\w+")) {
        check(span.substring(4), tf.variables, "variable", undeclared);
      } else if (snippet.inline() && span.matches("[a-z][a-z0-9]*(?:_[a-z0-9]+)+")) {
        check(span, tf.names(), "variable, output or local", undeclared);
      }
    }
    // The table of what the code must do names the environment variables Terraform sets.
    for (String row : read(ROOT.resolve(TERRAFORM_GUIDE)).lines().toList()) {
      if (!row.startsWith("|")) {
        continue;
      }
      Matcher env = Pattern.compile("`((?:QUARKUS|PRECONF)_[A-Z0-9_]+)`").matcher(row);
      while (env.find()) {
        if (!Pattern.compile("\\b" + env.group(1) + "\\b").matcher(tf.appConfig).find()) {
          undeclared.add("environment variable " + env.group(1) + " (not in app_config.tf)");
        }
      }
    }
    assertThat(undeclared).as("Terraform names the guide uses but Terraform lacks").isEmpty();
  }

  @Test
  void imageServesThePortAndHealthPathTheLoadBalancerChecks() throws IOException {
    Terraform tf = Terraform.read();
    int port = Integer.parseInt(only(tf.appConfig, "(?m)^\\s*feed_port\\s*=\\s*(\\d+)"));
    String health = only(tf.appConfig, "(?m)^\\s*feed_health_path\\s*=\\s*\"([^\"]+)\"");

    // Terraform routes and checks the task through those two locals only.
    String feed = read(ROOT.resolve("terraform/feed.tf"));
    String targetGroup = block(feed, "resource \"aws_lb_target_group\" \"feed\"");
    assertThat(feed)
        .containsPattern("containerPort\\s*=\\s*local\\.feed_port\\b")
        .containsPattern("container_port\\s*=\\s*local\\.feed_port\\b");
    assertThat(targetGroup).containsPattern("(?m)^\\s*port\\s*=\\s*local\\.feed_port$");
    assertThat(block(targetGroup, "health_check"))
        .containsPattern("(?m)^\\s*path\\s*=\\s*local\\.feed_health_path$");

    String docker = read(DOCKERFILE).replace("\\\n", " ");
    int envPort = Integer.parseInt(only(docker, "(?m)^ENV\\s+PRECONF_FEED_PORT=(\\d+)\\s*$"));
    int exposed = Integer.parseInt(only(docker, "(?m)^EXPOSE\\s+(\\d+)\\s*$"));
    Matcher check =
        Pattern.compile(
                "(?m)^HEALTHCHECK\\s.*\\bCMD\\s.*http://127\\.0\\.0\\.1:([^/\\s\"]+)(/[^\\s\"]*)")
            .matcher(docker);
    assertThat(check.find()).as("Dockerfile.jvm has a HEALTHCHECK over HTTP").isTrue();
    String checkedPort = check.group(1).replace("${PRECONF_FEED_PORT}", String.valueOf(envPort));

    assertThat(exposed).as("EXPOSE against feed_port").isEqualTo(port);
    assertThat(envPort).as("PRECONF_FEED_PORT against feed_port").isEqualTo(port);
    assertThat(checkedPort).as("the HEALTHCHECK's port").isEqualTo(String.valueOf(port));
    assertThat(check.group(2)).as("the HEALTHCHECK's path").isEqualTo(health);

    // The application listens where the image says, and serves readiness at that path.
    String properties = read(FEED_PROPERTIES);
    assertThat(only(properties, "(?m)^quarkus\\.http\\.port=\\$\\{PRECONF_FEED_PORT:(\\d+)}"))
        .as("the feed's default port")
        .isEqualTo(String.valueOf(port));
    assertThat(only(properties, "(?m)^quarkus\\.smallrye-health\\.root-path=(\\S+)") + "/ready")
        .as("the feed's readiness path")
        .isEqualTo(health);
    Matcher env = Pattern.compile("(?m)^ENV\\s+(PRECONF_\\w+)=").matcher(docker);
    while (env.find()) {
      assertThat(properties).as("the feed reads " + env.group(1)).contains(env.group(1));
    }

    // The image holds the fast-jar the guide's build writes, and runs it.
    Matcher copy = Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*(\\S+)\\s").matcher(docker);
    while (copy.find()) {
      assertThat(copy.group(1)).startsWith("target/quarkus-app/");
    }
    assertThat(docker)
        .containsPattern("(?m)^ENTRYPOINT \\[\"java\", .*\"/deployments/quarkus-run\\.jar\"\\]");
    assertThat(docker).containsPattern("(?m)^USER\\s+[1-9]");
  }

  @Test
  void bothServersListenOnLoopbackUnlessTheImageOpensThem() throws IOException {
    for (Path properties :
        List.of(
            FEED_PROPERTIES, ROOT.resolve("functions/src/main/resources/application.properties"))) {
      assertThat(only(read(properties), "(?m)^quarkus\\.http\\.host=(\\S+)$"))
          .as("the default host of " + properties)
          .isEqualTo("127.0.0.1");
    }
    // The container must be reached through its published port, so the image opens it.
    assertThat(only(read(DOCKERFILE), "(?m)^ENV\\s+QUARKUS_HTTP_HOST=(\\S+)\\s*$"))
        .isEqualTo("0.0.0.0");
  }

  // --- the guides, as snippets of code ---

  /** A fenced block (several lines) or an inline code span (one line, perhaps wrapped). */
  private record Snippet(List<String> lines, boolean inline) {}

  private static List<Snippet> snippets(String guide) {
    String text = read(ROOT.resolve(guide));
    List<Snippet> out = new ArrayList<>();
    Matcher block = FENCE.matcher(text);
    while (block.find()) {
      out.add(new Snippet(block.group(1).lines().toList(), false));
    }
    Matcher span = INLINE.matcher(FENCE.matcher(text).replaceAll("\n"));
    while (span.find()) {
      out.add(new Snippet(List.of(span.group(1).replace('\n', ' ')), true));
    }
    return out;
  }

  private static List<String> linkTargets(String guide) {
    List<String> out = new ArrayList<>();
    Matcher link = LINK.matcher(FENCE.matcher(read(ROOT.resolve(guide))).replaceAll("\n"));
    while (link.find()) {
      String target = link.group(1).replaceFirst("#.*", "");
      if (!target.isEmpty() && !target.contains(":")) {
        out.add(target);
      }
    }
    return out;
  }

  /** The simple commands of a shell line, comments left out. */
  private static List<String> commands(String line) {
    String code = line.replaceFirst("(^|\\s)#.*", "");
    return Stream.of(COMMAND_BREAKS.split(code))
        .map(String::strip)
        .filter(c -> !c.isEmpty())
        .toList();
  }

  private static List<String> words(String line) {
    return Stream.of(WORD_SEPARATORS.split(line))
        .filter(w -> !w.contains("://") && PATH_LIKE.matcher(w).matches())
        .toList();
  }

  /** A repository script run by its path: under a script folder, or {@code ./mvnw}. */
  private static boolean isScript(String program) {
    if (!PATH_LIKE.matcher(program).matches() || !program.contains("/") || program.endsWith("/")) {
      return false;
    }
    String first = program.replaceFirst("^\\./", "").split("/")[0];
    String name = program.substring(program.lastIndexOf('/') + 1);
    boolean scriptName = !name.contains(".") || name.endsWith(".sh");
    return scriptName && (program.startsWith("./") || SCRIPT_FOLDERS.contains(first));
  }

  // --- the repository ---

  /** The files of the repository, without the folders git ignores. */
  private record Repository(Set<String> ignored, List<Path> files) {
    static Repository scan() throws IOException {
      Set<String> ignored = new TreeSet<>(Set.of(".git"));
      for (String line : read(ROOT.resolve(".gitignore")).lines().toList()) {
        String entry = line.strip();
        if (entry.endsWith("/") && !entry.startsWith("#") && !entry.startsWith("!")) {
          ignored.add(entry.replaceAll("^/|/$", ""));
        }
      }
      List<Path> files = new ArrayList<>();
      walk(ROOT, ignored, files);
      return new Repository(ignored, files);
    }

    private static void walk(Path dir, Set<String> ignored, List<Path> out) throws IOException {
      try (Stream<Path> entries = Files.list(dir)) {
        for (Path entry : entries.toList()) {
          if (ignored.contains(entry.getFileName().toString())) {
            continue;
          }
          out.add(entry);
          if (Files.isDirectory(entry)) {
            walk(entry, ignored, out);
          }
        }
      }
    }

    /** Why {@code word} names nothing in the repository, or null when it does (or is no path). */
    String problemWith(String word, List<Path> bases) {
      String path = word.replaceAll("/+$", "");
      String name = path.substring(path.lastIndexOf('/') + 1);
      String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1) : "";
      boolean source = SOURCE_EXTENSIONS.contains(extension);
      if (!path.contains("/")) {
        if (!source || resolve(path, bases) != null) {
          return null;
        }
        return files.stream().anyMatch(f -> f.getFileName().toString().equals(name))
            ? null
            : "no file of that name";
      }
      List<String> segments = List.of(path.replaceFirst("^(\\./)+", "").split("/"));
      int output = -1;
      for (int i = 0; i < segments.size() && output < 0; i++) {
        output = ignored.contains(segments.get(i)) ? i : -1;
      }
      if (output >= 0) {
        return writtenInto(
            String.join("/", segments.subList(0, output)), segments.get(output), bases);
      }
      String first = segments.get(0);
      boolean named =
          source
              || SCRIPT_FOLDERS.contains(first)
              || path.startsWith("../")
              || bases.stream().anyMatch(b -> Files.exists(b.resolve(first)));
      return !named || resolve(path, bases) != null ? null : "no such file or folder";
    }

    /** A path through an ignored folder: only what comes before it must be in the repository. */
    private String writtenInto(String before, String folder, List<Path> bases) {
      Path parent = before.isEmpty() ? ROOT : resolve(before, bases);
      if (parent == null || !Files.isDirectory(parent)) {
        return "no folder " + before;
      }
      if (folder.equals("target") && !Files.isRegularFile(parent.resolve("pom.xml"))) {
        return before + " is no Maven module";
      }
      return null;
    }

    /** The file {@code path} names from one of {@code bases}, globs allowed, or null. */
    Path resolve(String path, List<Path> bases) {
      for (Path base : bases) {
        Path candidate = base.resolve(path).normalize();
        if (!path.contains("*")) {
          if (candidate.startsWith(ROOT) && Files.exists(candidate)) {
            return candidate;
          }
          continue;
        }
        PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + candidate);
        for (Path file : files) {
          if (glob.matches(file)) {
            return file;
          }
        }
      }
      return null;
    }
  }

  // --- Terraform ---

  private record Terraform(
      Set<String> variables,
      Set<String> outputs,
      Set<String> locals,
      Set<String> resources,
      Set<String> types,
      String appConfig) {

    static Terraform read() throws IOException {
      StringBuilder all = new StringBuilder();
      try (Stream<Path> files = Files.list(ROOT.resolve("terraform"))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".tf")).sorted().toList()) {
          all.append(DeploymentGuideTest.read(f)).append('\n');
        }
      }
      String tf = all.toString();
      Set<String> resources = new TreeSet<>();
      Set<String> types = new TreeSet<>();
      Matcher block = Pattern.compile("(?m)^(resource|data) \"(\\w+)\" \"(\\w+)\"").matcher(tf);
      while (block.find()) {
        types.add(block.group(2));
        if (block.group(1).equals("resource")) {
          resources.add(block.group(2) + "." + block.group(3));
        }
      }
      return new Terraform(
          matches(tf, "(?m)^variable \"(\\w+)\""),
          matches(tf, "(?m)^output \"(\\w+)\""),
          locals(tf),
          resources,
          types,
          DeploymentGuideTest.read(ROOT.resolve("terraform/app_config.tf")));
    }

    Set<String> names() {
      Set<String> names = new TreeSet<>(variables);
      names.addAll(outputs);
      names.addAll(locals);
      return names;
    }

    /** The names set directly inside {@code locals { }} blocks. */
    private static Set<String> locals(String tf) {
      Set<String> names = new TreeSet<>();
      int depth = 0;
      boolean inLocals = false;
      for (String line : tf.split("\n")) {
        String t = line.strip();
        if (depth == 0 && t.startsWith("locals {")) {
          inLocals = true;
        } else if (inLocals && depth == 1) {
          Matcher m = Pattern.compile("^(\\w+)\\s*=").matcher(t);
          if (m.find()) {
            names.add(m.group(1));
          }
        }
        depth += count(t, '{') - count(t, '}');
        if (depth == 0) {
          inLocals = false;
        }
      }
      return names;
    }
  }

  // --- helpers ---

  private static void find(
      String text, String regex, Set<String> declared, String kind, List<String> undeclared) {
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      check(m.group(1), declared, kind, undeclared);
    }
  }

  private static void check(String name, Set<String> declared, String kind, List<String> out) {
    if (!declared.contains(name)) {
      out.add(kind + " " + name);
    }
  }

  private static Set<String> matches(String text, String regex) {
    return new LinkedHashSet<>(captures(text, regex));
  }

  private static List<String> captures(String text, String regex) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** The one capture of {@code regex} in {@code text}, which must occur exactly once. */
  private static String only(String text, String regex) {
    List<String> found = captures(text, regex);
    assertThat(found).as("exactly one match of %s", regex).hasSize(1);
    return found.get(0);
  }

  /** The block that starts at {@code header}, up to its closing brace. */
  private static String block(String text, String header) {
    int start = text.indexOf(header);
    assertThat(start).as("%s is there", header).isNotNegative();
    int depth = 0;
    for (int i = text.indexOf('{', start); i < text.length(); i++) {
      depth += text.charAt(i) == '{' ? 1 : text.charAt(i) == '}' ? -1 : 0;
      if (depth == 0) {
        return text.substring(start, i + 1);
      }
    }
    throw new AssertionError(header + " has no closing brace");
  }

  private static int count(String s, char c) {
    return (int) s.chars().filter(x -> x == c).count();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(file + " cannot be read", e);
    }
  }
}
