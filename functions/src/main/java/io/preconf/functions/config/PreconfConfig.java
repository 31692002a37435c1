package io.preconf.functions.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the functions are configured with, under {@code preconf}, but the served rollups
 * ({@code preconf.rollups[i].*} or {@code preconf.rollups-json}), which every process reads alike
 * through {@link io.preconf.infra.config.RollupSettings}. Servers (Redis, PostgreSQL) are set by
 * {@code quarkus.redis.*} and {@code quarkus.datasource.*}.
 */
@ConfigMapping(prefix = "preconf")
public interface PreconfConfig {

  Signer signer();

  Engine engine();

  Datasource datasource();

  /** Other preconfers whose commitments {@code validate} accepts, besides this one. */
  List<Trusted> trustedSigners();

  Finality finality();

  Rpc rpc();

  /** The Ethereum JSON-RPC front door, {@code POST /rpc/<chainId>}. */
  interface Rpc {
    /** The most calls one batch may hold; a larger batch is refused whole. */
    @WithDefault("100")
    int maxBatch();

    /** How long {@code eth_sendRawTransactionSync} waits for a receipt when the call names none. */
    @WithDefault("2s")
    Duration syncTimeout();

    /** The longest wait a call to {@code eth_sendRawTransactionSync} may ask for. */
    @WithDefault("10s")
    Duration maxSyncTimeout();

    /**
     * How many storage roots and slots one {@code eth_sendRawTransactionConditional} may ask to be
     * checked; more is refused with ERC-7796's -32005.
     */
    @WithDefault("64")
    int maxConditionReads();

    /** How often {@code eth_sendRawTransactionSync} asks the node for the receipt. */
    @WithDefault("200ms")
    Duration receiptPollInterval();
  }

  Fabric fabric();

  /**
   * The eth-fabric Commitments API's signature in the reference gateway's form: the Commit-Boost
   * module's signing id and the consensus chain whose domain its signing root mixes in.
   */
  interface Fabric {
    /** The Commit-Boost {@code module_signing_id}, 32 bytes as 0x hex. */
    @WithDefault("0x0000000000000000000000000000000000000000000000000000000000000000")
    String signingId();

    /** The consensus chain's id, as Commit-Boost's {@code PropCommitSigningInfo.chain_id}. */
    @WithDefault("1")
    long chainId();

    /** The consensus chain's genesis fork version, 4 bytes as 0x hex (mainnet's by default). */
    @WithDefault("0x00000000")
    String genesisForkVersion();
  }

  Reconcile reconcile();

  Limits limits();

  /**
   * How many transactions {@code preconfirm} (and the JSON-RPC front door's sending methods) takes
   * per sender and per client, in fixed windows counted in Redis and shared by every process. Each
   * transaction counts one use, refused ones too; a request over a limit is refused RATE_LIMITED
   * before any lane position is claimed.
   */
  interface Limits {
    /** Off: no limit is counted or enforced. */
    @WithDefault("true")
    boolean enabled();

    /** Per recovered sender, per rollup. */
    @WithDefault("200")
    int senderMax();

    @WithDefault("10s")
    Duration senderWindow();

    /** Per client over HTTP: its {@code X-Api-Key} when it sends one, else its address. */
    @WithDefault("2000")
    int clientMax();

    @WithDefault("10s")
    Duration clientWindow();

    /**
     * The header holding the client's address behind a proxy (for example {@code X-Forwarded-For},
     * its last entry counting); without it, the connection's peer.
     */
    Optional<String> clientAddressHeader();
  }

  /**
   * Who may call {@code reconcile} over HTTP. On AWS, IAM guards its route instead (terraform's
   * {@code AWS_IAM} authorization), and the Lambda sees no HTTP request of its own.
   */
  interface Reconcile {
    /**
     * The keys an operator sends in {@code X-Api-Key}; with none, {@code reconcile} is off over
     * HTTP (a followed node, {@code preconf.rollups[i].rpc-url}, feeds the blocks). Never logged.
     */
    Optional<List<String>> apiKeys();
  }

  /** How {@code reconcile} judges rollup blocks. */
  interface Finality {
    /**
     * Blocks on top of an including block before its promise is FINALIZED; also how deep a reorg
     * may reach.
     */
    @WithDefault("12")
    int depth();

    /** How many slots ahead of this engine's clock a block may claim to be (clock skew). */
    @WithDefault("1")
    int futureSlots();

    /**
     * How many heights above the recorded head a block may be; a block further up is refused, never
     * taken as a new start of the chain.
     */
    @WithDefault("86400")
    long maxAhead();

    /** How long a followed rollup node may take to answer one JSON-RPC call. */
    @WithDefault("5s")
    Duration rpcTimeout();
  }

  interface Signer {
    /** The secp256k1 private key as 0x hex. Never logged. */
    Optional<String> privateKey();

    /** A Secrets Manager secret holding {@link #privateKey()}, read at start on AWS Lambda. */
    Optional<String> privateKeySecretArn();

    /** The 32-byte ML-DSA-65 seed as 0x hex. Never logged. */
    Optional<String> pqSeed();

    /** A Secrets Manager secret holding {@link #pqSeed()}. */
    Optional<String> pqSeedSecretArn();

    /** The preconfer's address, for functions that verify but hold no key. */
    Optional<String> address();

    /** The preconfer's ML-DSA-65 public key, for functions that verify but hold no key. */
    Optional<String> pqPublicKey();

    /**
     * A Secrets Manager secret holding {@link #pqPublicKey()}: at 3,906 hex characters it does not
     * fit Lambda's environment beside everything else.
     */
    Optional<String> pqPublicKeySecretArn();

    /**
     * Bumped by the deployment when key values change, so that a new function version (and
     * SnapStart snapshot) reads them; not read otherwise.
     */
    Optional<String> keyGeneration();

    /**
     * With no key configured, generate a throw-away development key (with a loud warning) instead
     * of refusing to start. Never in production.
     */
    @WithDefault("false")
    boolean allowDevKey();
  }

  interface Datasource {
    /**
     * The RDS-managed secret with the database user and password, read by the credentials provider
     * {@code preconf-datasource-secret} (see {@code
     * io.preconf.infra.aws.DatasourceSecretCredentials}).
     */
    Optional<String> passwordSecretArn();
  }

  interface Engine {
    @WithDefault("true")
    boolean quantumSignatures();

    @WithDefault("false")
    boolean requireQuantumSignature();

    @WithDefault("true")
    boolean mevProtection();

    @WithDefault("true")
    boolean parallelProcessing();

    @WithDefault("1h")
    Duration ttl();

    @WithDefault("30s")
    Duration preconfirmationTimeout();

    @WithDefault("10s")
    Duration validationTimeout();

    @WithDefault("131072")
    int maxTransactionBytes();

    @WithDefault("256")
    int maxTransactionsPerRequest();

    @WithDefault("100000")
    int verifiedRootCacheSize();

    /**
     * The deadline of one call to a rollup's node when checking a sender before a promise (see
     * {@code preconf.rollups[i].state-checks}); well inside the preconfirmation timeout, so that a
     * node that does not answer refuses with BACKEND_UNAVAILABLE rather than TIMEOUT.
     */
    @WithDefault("2s")
    Duration nodeTimeout();

    /** How long one reading of a node's head, or of a sender on it, serves further requests. */
    @WithDefault("500ms")
    Duration senderStateReuse();

    /**
     * Who recovers senders, checks and makes secp256k1 signatures: {@code native} (libsecp256k1
     * through JNI, falling back to Bouncy Castle with a warning where it cannot load) or {@code
     * bouncycastle}. Both give the same bytes.
     */
    @WithDefault("native")
    String secp256k1Backend();

    /**
     * The most requests one round of group commit takes: they share one lane call, one signature of
     * each kind, one record and one feed publish.
     */
    @WithDefault("256")
    int roundMaxRequests();

    /** The most transactions one round takes (a request is never split over rounds). */
    @WithDefault("2048")
    int roundMaxTransactions();

    /**
     * The most requests admitted and not yet in a round; past it, or past what the rounds serve
     * within half the preconfirmation timeout at their measured pace, a request is refused
     * OVERLOADED at once (HTTP 503 with Retry-After).
     */
    @WithDefault("4096")
    int maxWaitingRequests();
  }

  interface Trusted {
    String address();

    Optional<String> pqPublicKey();
  }
}
