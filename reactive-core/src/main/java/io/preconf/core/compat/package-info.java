/**
 * The preconfirmation protocols other clients already speak, mirrored byte for byte: Bolt's
 * commitment digest and signatures, and the eth-fabric Commitments API's hashes, payloads and
 * signing roots. Pure functions over the core's value types, each tested against the protocol's own
 * published vectors.
 */
package io.preconf.core.compat;
