package io.preconf.functions.config;

import io.preconf.core.crypto.EcdsaSigner;
import io.preconf.core.crypto.MlDsaSigner;
import io.preconf.core.crypto.Secp256k1Backend;
import io.preconf.core.engine.Signers;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.infra.aws.SecretReader;
import java.security.SecureRandom;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Loads the preconfer's keys: from configuration (hex), from Secrets Manager on Lambda, or, only
 * when explicitly allowed, a generated development key announced loudly. With no key but a public
 * identity, the process verifies without signing.
 */
public final class SignerKeys {
  private static final Logger LOG = Logger.getLogger(SignerKeys.class);

  private SignerKeys() {}

  public static Signers load(
      PreconfConfig.Signer config, boolean quantumSignatures, Secp256k1Backend secp256k1) {
    Optional<String> key = secretOrValue(config.privateKey(), config.privateKeySecretArn());
    Optional<String> seed = secretOrValue(config.pqSeed(), config.pqSeedSecretArn());
    if (key.isPresent()) {
      EcdsaSigner ecdsa =
          EcdsaSigner.fromPrivateKey(secret("preconf.signer.private-key", key.get()), secp256k1);
      MlDsaSigner pq = null;
      if (quantumSignatures) {
        if (seed.isEmpty()) {
          throw new IllegalStateException(
              "preconf.engine.quantum-signatures is on but neither preconf.signer.pq-seed nor"
                  + " preconf.signer.pq-seed-secret-arn is set");
        }
        pq = MlDsaSigner.fromSeed(secret("preconf.signer.pq-seed", seed.get()));
      }
      return Signers.signing(ecdsa, pq);
    }
    if (config.address().isPresent()) {
      return Signers.verifyOnly(
          Address.fromHex("preconf.signer.address", config.address().get()),
          config
              .pqPublicKey()
              .map(k -> Bytes.fromHex("preconf.signer.pq-public-key", k))
              .orElse(null));
    }
    if (!config.allowDevKey()) {
      throw new IllegalStateException(
          "no signing key: set preconf.signer.private-key (PRECONF_SIGNER_PRIVATE_KEY) or"
              + " preconf.signer.private-key-secret-arn, or preconf.signer.address for a"
              + " verify-only function; preconf.signer.allow-dev-key=true generates a throw-away"
              + " key for local use");
    }
    SecureRandom random = new SecureRandom();
    byte[] k = new byte[32];
    byte[] s = new byte[32];
    random.nextBytes(k);
    random.nextBytes(s);
    k[0] &= 0x7f; // below the curve order
    k[31] |= 1; // never zero
    EcdsaSigner ecdsa = EcdsaSigner.fromPrivateKey(Bytes.wrap(k), secp256k1);
    MlDsaSigner pq = quantumSignatures ? MlDsaSigner.fromSeed(Bytes.wrap(s)) : null;
    LOG.warn(
        "*** DEVELOPMENT KEY *** No signing key is configured, so a throw-away key was generated:"
            + " preconfirmations are signed by "
            + ecdsa.address()
            + ", which no one trusts and which changes at every start. Never run like this in"
            + " production: set preconf.signer.private-key and preconf.signer.pq-seed.");
    return Signers.signing(ecdsa, pq);
  }

  /**
   * A secret's bytes from hex, with or without {@code 0x}. What is wrong with it is told by its
   * setting and length only: no message, log line or exception ever carries any of its characters.
   */
  static Bytes secret(String setting, String value) {
    String hex = value.strip();
    if (hex.startsWith("0x") || hex.startsWith("0X")) {
      hex = hex.substring(2);
    }
    try {
      return Bytes.fromHex(setting, "0x" + hex);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          setting
              + " is not hex of an even number of digits ("
              + value.length()
              + " characters; its value is not shown)");
    }
  }

  private static Optional<String> secretOrValue(Optional<String> value, Optional<String> arn) {
    if (value.isPresent() && !value.get().isBlank()) {
      return value;
    }
    return arn.filter(a -> !a.isBlank()).map(SecretReader::read);
  }
}
