package io.preconf.core.crypto;

import io.preconf.core.types.Bytes;
import io.preconf.core.types.Hash32;

/**
 * Signs 32-byte digests with a key it holds and never hands out, as Besu's {@code NodeKey} does.
 * Implementations are safe to call from several threads.
 */
public interface DigestSigner {
  Bytes sign(Hash32 digest);
}
