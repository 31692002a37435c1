package io.preconf.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.crypto.Keccak;
import io.preconf.core.tx.TransactionBuilder;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Writes the request bodies the load generator (bench/loadgen/loadgen.c) sends, one JSON body a
 * line, before a scenario starts: signing is the client's work, not the engine's, and must not run
 * while the engine is measured.
 *
 * <ul>
 *   <li>{@code signed out=FILE count=N [per=1] [chains=167000,167001] [atomic=false]}: N preconfirm
 *       bodies of {@code per} signed EIP-1559 transfers each, every transfer from a fresh random
 *       sender; {@code atomic=true} asks for all or nothing, which also gives each request a
 *       commitment of its own.
 *   <li>{@code senders out=FILE count=N senders=S chain=C hashes=FILE addresses=FILE
 *       [max-fee-gwei=10]}: N preconfirm bodies of one transfer each on chain C from S fresh
 *       senders taken in turn, each sender's nonces 0, 1, 2, .. in the order of the file; the
 *       transactions' hashes in {@code hashes} (line i for body i) and the senders' addresses in
 *       {@code addresses}, for whoever funds them on the node before the run.
 *   <li>{@code validations responses=FILE out=FILE count=N verified=FILE kind=cold|cached}: up to N
 *       validate bodies from the preconfirmations of the preconfirm answers in {@code responses}
 *       (the generator's keep file). {@code cold}: one preconfirmation of each commitment not in
 *       {@code verified} (the roots earlier cold runs validated), as many as there are up to N, and
 *       their roots are added to {@code verified}; the engine has verified none of their
 *       commitments yet. {@code cached}: N leaves of commitments in {@code verified}, taken in
 *       turn, every one of them a leaf of a commitment the engine has verified already. {@code
 *       per=P} (default 1) writes them P to a body, in validate's batch form {@code
 *       {"preconfirmations": [..]}}, N counting preconfirmations. Prints how many preconfirmations,
 *       how many distinct commitments, and how many repeat a commitment an earlier one of the file
 *       holds, for the report.
 * </ul>
 */
public final class RequestBodies {
  static final Address TO = Address.fromHex("to", "0x00000000000000000000000000000000000000aa");

  public static void main(String[] argv) throws IOException {
    Map<String, String> args = arguments(argv);
    Path out = Path.of(required(args, "out"));
    int count = Integer.parseInt(required(args, "count"));
    switch (required(args, "mode")) {
      case "signed" -> {
        List<ChainId> chains = new ArrayList<>();
        for (String c : args.getOrDefault("chains", "167000,167001").split(",")) {
          chains.add(ChainId.of(Long.parseLong(c.trim())));
        }
        Files.write(
            out,
            signed(
                count,
                Integer.parseInt(args.getOrDefault("per", "1")),
                chains,
                Boolean.parseBoolean(args.getOrDefault("atomic", "false"))));
      }
      case "senders" -> {
        Senders s =
            senders(
                count,
                Integer.parseInt(required(args, "senders")),
                ChainId.of(Long.parseLong(required(args, "chain"))),
                BigInteger.valueOf(Long.parseLong(args.getOrDefault("max-fee-gwei", "10")))
                    .multiply(BigInteger.TEN.pow(9)));
        Files.write(out, s.bodies());
        Files.write(Path.of(required(args, "hashes")), s.hashes());
        Files.write(Path.of(required(args, "addresses")), s.addresses());
      }
      case "validations" ->
          System.out.println(
              validations(
                  Path.of(required(args, "responses")),
                  out,
                  count,
                  Path.of(required(args, "verified")),
                  Integer.parseInt(args.getOrDefault("per", "1")),
                  switch (required(args, "kind")) {
                    case "cold" -> true;
                    case "cached" -> false;
                    default ->
                        throw new IllegalArgumentException(
                            "kind must be cold or cached, got " + args.get("kind"));
                  }));
      default -> throw new IllegalArgumentException("unknown mode " + args.get("mode"));
    }
  }

  /** The bench tools' arguments: {@code key=value} pairs, a bare word being the mode. */
  static Map<String, String> arguments(String[] argv) {
    Map<String, String> args = new LinkedHashMap<>();
    for (String a : argv) {
      int eq = a.indexOf('=');
      if (eq < 0) {
        args.put("mode", a);
      } else {
        args.put(a.substring(0, eq), a.substring(eq + 1));
      }
    }
    return args;
  }

  static String required(Map<String, String> args, String key) {
    String v = args.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing argument " + key + "=... in " + args);
    }
    return v;
  }

  /** Bodies of {@code perRequest} transfers each, every one from a fresh random sender. */
  static List<String> signed(int requests, int perRequest, List<ChainId> chains, boolean atomic) {
    SecureRandom random = new SecureRandom();
    String[] bodies = new String[requests];
    IntStream.range(0, requests)
        .parallel()
        .forEach(
            i -> {
              StringBuilder b = new StringBuilder(perRequest * 240);
              b.append("{\"transactions\":[");
              for (int j = 0; j < perRequest; j++) {
                if (j > 0) {
                  b.append(',');
                }
                ChainId chain = chains.get((i * perRequest + j) % chains.size());
                String tx =
                    TransactionBuilder.on(chain)
                        .nonce(0)
                        .to(TO)
                        .value(BigInteger.ONE)
                        .sign(freshKey(random))
                        .toHex();
                b.append('"').append(tx).append('"');
              }
              b.append(atomic ? "],\"atomic\":true}" : "]}");
              bodies[i] = b.toString();
            });
    return List.of(bodies);
  }

  record Senders(List<String> bodies, List<String> hashes, List<String> addresses) {}

  /** Transfers from {@code senders} fresh keys in turn, each key's nonces in file order. */
  static Senders senders(int requests, int senders, ChainId chain, BigInteger maxFee) {
    SecureRandom random = new SecureRandom();
    List<EcdsaSigner> keys = IntStream.range(0, senders).mapToObj(i -> freshKey(random)).toList();
    String[] bodies = new String[requests];
    String[] hashes = new String[requests];
    IntStream.range(0, requests)
        .parallel()
        .forEach(
            i -> {
              Bytes tx =
                  TransactionBuilder.on(chain)
                      .nonce(i / senders)
                      .to(TO)
                      .value(BigInteger.ONE)
                      .maxFeePerGas(maxFee)
                      .sign(keys.get(i % senders));
              bodies[i] = "{\"transactions\":[\"" + tx.toHex() + "\"]}";
              hashes[i] = Keccak.hash(tx.unsafeArray()).toHex();
            });
    return new Senders(
        List.of(bodies), List.of(hashes), keys.stream().map(k -> k.address().toHex()).toList());
  }

  static EcdsaSigner freshKey(SecureRandom random) {
    byte[] key = new byte[32];
    random.nextBytes(key);
    key[0] &= 0x7f; // below the curve order
    key[31] |= 1; // never zero
    return EcdsaSigner.fromPrivateKey(Bytes.wrap(key));
  }

  /** Writes the validate bodies; returns one line saying what they are. */
  static String validations(
      Path responses, Path out, int count, Path verified, int per, boolean cold)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    Set<String> before =
        Files.exists(verified) ? new HashSet<>(Files.readAllLines(verified)) : new HashSet<>();
    // Each kept answer's preconfirmations (one for a single-transaction request), as text: tens of
    // thousands of parsed trees would not fit a small heap.
    List<String> bodies = new ArrayList<>();
    List<String> roots = new ArrayList<>();
    Set<String> taken = new HashSet<>();
    try (BufferedReader in = Files.newBufferedReader(responses)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        for (JsonNode p : json.readTree(line).path("preconfirmations")) {
          String root = p.path("commitment").path("root").asText();
          boolean wanted = cold ? !before.contains(root) && taken.add(root) : before.contains(root);
          if (wanted) {
            bodies.add(p.toString());
            roots.add(root);
          }
        }
        if (cold && bodies.size() >= count) {
          break;
        }
      }
    }
    int n = cold ? bodies.size() : bodies.isEmpty() ? 0 : count;
    // A batch body holds whole batches only.
    n -= n % per;
    Set<String> distinct = new HashSet<>();
    int repeats = 0;
    try (BufferedWriter w = Files.newBufferedWriter(out)) {
      for (int i = 0; i < n; i++) {
        if (!distinct.add(roots.get(i % roots.size()))) {
          repeats++;
        }
        if (per > 1) {
          w.write(i % per == 0 ? "{\"preconfirmations\":[" : ",");
        }
        w.write(bodies.get(i % bodies.size()));
        if (per == 1 || i % per == per - 1) {
          w.write(per > 1 ? "]}" : "");
          w.newLine();
        }
      }
    }
    if (cold) {
      Files.write(verified, roots, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
    return String.format(
        Locale.ROOT,
        "%d bodies, %d distinct commitments, %d of them under a commitment an earlier body holds,"
            + " %s%s",
        n,
        distinct.size(),
        repeats,
        cold
            ? "none verified before"
            : "all verified by the cold run (" + bodies.size() + " leaves in turn)",
        per > 1 ? String.format(Locale.ROOT, "; %d per request", per) : "");
  }
}
