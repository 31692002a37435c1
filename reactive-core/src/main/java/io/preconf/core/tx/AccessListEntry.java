package io.preconf.core.tx;

import io.preconf.core.types.Address;
import io.preconf.core.types.Hash32;
import java.util.List;
import java.util.Objects;

/**
 * One entry of an EIP-2930 access list: an address and the storage keys of it that a transaction
 * declares it will touch.
 *
 * @see <a href="https://eips.ethereum.org/EIPS/eip-2930">EIP-2930</a>
 */
public record AccessListEntry(Address address, List<Hash32> storageKeys) {
  public AccessListEntry {
    Objects.requireNonNull(address, "address");
    storageKeys = List.copyOf(storageKeys);
  }
}
