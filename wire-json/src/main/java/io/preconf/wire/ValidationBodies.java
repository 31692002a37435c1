package io.preconf.wire;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.error.Result;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.core.wire.WireNumbers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code validate}'s body read from its bytes in one pass of a streaming parser, without the tree
 * {@link FunctionRequests#validations} reads: a preconfirmation is about 8 KB of JSON, 6.6 KB of it
 * the ML-DSA signature's hex, and a tree copies every value into a node before a field is read.
 *
 * <p>It takes only what it reads exactly as the tree reader would (every field of the right type
 * and well formed, no field twice, nothing after the object); for anything else it says nothing and
 * the caller reads the tree, whose refusals name the problem as the contract fixes them. So a body
 * gets the same answer whichever reader took it.
 *
 * <p>A commitment read before, its ML-DSA signature the same text to the character, is handed back
 * as the object read then instead of decoding the signature's hex again: the leaves of one
 * commitment, validated one after another, share it. The text compared is the whole signature, so a
 * body whose signature differs from the remembered one in any character is decoded from its own
 * text; what is handed back equals what decoding would give, and validation still checks it as its
 * own.
 */
public final class ValidationBodies {
  private static final JsonFactory JSON = new JsonFactory();

  /** Commitments remembered, each in the slot its root picks: about 10 KB each when full. */
  private static final int REMEMBERED = 4096;

  private final AtomicReferenceArray<Read> read = new AtomicReferenceArray<>(REMEMBERED);

  /**
   * A commitment as it was read, its ML-DSA signature's text as the body held it (hex, so one byte
   * a character; null when absent).
   */
  private record Read(Commitment commitment, byte[] pqText) {}

  /** A body this reader does not take; the tree reader will say why, or take it. */
  private static final class NotTaken extends Exception {
    private static final NotTaken INSTANCE = new NotTaken();

    private NotTaken() {
      super(null, null, false, false);
    }
  }

  /**
   * {@code body} as {@link FunctionRequests#validations} reads its tree, or empty when the tree
   * must be read: a body that is not JSON, malformed or refused in any part, or shaped in a way
   * this reader does not follow.
   */
  public Optional<FunctionRequests.Validations> read(byte[] body) {
    try (JsonParser p = JSON.createParser(body)) {
      FunctionRequests.Validations v = body(p, body);
      return p.nextToken() == null ? Optional.of(v) : Optional.empty();
    } catch (IOException | NotTaken | RuntimeException e) {
      // A value type's refusal (MalformedValueException) among them: the tree reader names it.
      return Optional.empty();
    }
  }

  private FunctionRequests.Validations body(JsonParser p, byte[] body)
      throws IOException, NotTaken {
    expect(p.nextToken(), JsonToken.START_OBJECT);
    Draft one = new Draft(body);
    List<Result<FunctionRequests.Validation>> batch = null;
    for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
      if (name.equals("preconfirmations")) {
        if (batch != null) {
          throw NotTaken.INSTANCE;
        }
        batch = list(p, body);
      } else {
        one.field(name, p);
      }
    }
    return batch != null
        ? new FunctionRequests.Validations(true, batch)
        : FunctionRequests.Validations.one(Result.ok(one.validation()));
  }

  private List<Result<FunctionRequests.Validation>> list(JsonParser p, byte[] body)
      throws IOException, NotTaken {
    expect(p.nextToken(), JsonToken.START_ARRAY);
    List<Result<FunctionRequests.Validation>> items = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      expect(t, JsonToken.START_OBJECT);
      if (items.size() == FunctionRequests.MAX_VALIDATIONS) {
        throw NotTaken.INSTANCE;
      }
      Draft d = new Draft(body);
      for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
        d.field(name, p);
      }
      items.add(Result.ok(d.validation()));
    }
    return items;
  }

  /** The fields of one preconfirmation object as they are read, in whatever order they come. */
  private final class Draft {
    private final byte[] body;
    private final List<String> seen = new ArrayList<>(12);
    private Hash32 id;
    private ChainId chainId;
    private Hash32 txHash;
    private Address sender;
    private long nonce = -1;
    private long sequence = -1;
    private Hash32 previous;
    private long receivedAt = -1;
    private long targetSlot = -1;
    private List<Hash32> proof;
    private Commitment commitment;
    private Bytes rawTransaction;

    /**
     * @param body the bytes being read, in which a signature's text is compared
     */
    Draft(byte[] body) {
      this.body = body;
    }

    void field(String name, JsonParser p) throws IOException, NotTaken {
      if (seen.contains(name)) {
        throw NotTaken.INSTANCE;
      }
      seen.add(name);
      switch (name) {
        case "id" -> id = Hash32.fromHex("id", text(p));
        case "chainId" -> chainId = ChainId.of(number(p));
        case "txHash" -> txHash = Hash32.fromHex("txHash", text(p));
        case "sender" -> sender = Address.fromHex("sender", text(p));
        case "nonce" -> nonce = number(p);
        case "sequence" -> sequence = number(p);
        case "previous" -> previous = Hash32.fromHex("previous", text(p));
        case "receivedAt" -> receivedAt = number(p);
        case "targetSlot" -> targetSlot = number(p);
        case "proof" -> proof = proof(p);
        case "commitment" -> commitment = commitment(p, body);
        case "rawTransaction" ->
            rawTransaction =
                p.nextToken() == JsonToken.VALUE_NULL
                    ? null
                    : Bytes.fromHex("rawTransaction", current(p));
        default -> {
          p.nextToken();
          p.skipChildren();
        }
      }
    }

    FunctionRequests.Validation validation() throws NotTaken {
      if (id == null
          || chainId == null
          || txHash == null
          || sender == null
          || nonce < 0
          || sequence < 0
          || previous == null
          || receivedAt < 0
          || targetSlot < 0
          || proof == null
          || commitment == null) {
        throw NotTaken.INSTANCE;
      }
      Leaf leaf =
          new Leaf(chainId, txHash, sender, nonce, sequence, previous, receivedAt, targetSlot);
      return new FunctionRequests.Validation(
          new Preconfirmation(id, leaf, proof, commitment), rawTransaction);
    }
  }

  private static List<Hash32> proof(JsonParser p) throws IOException, NotTaken {
    expect(p.nextToken(), JsonToken.START_ARRAY);
    List<Hash32> proof = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
      if (proof.size() == PreconfirmationCodec.MAX_PROOF_LENGTH) {
        throw NotTaken.INSTANCE;
      }
      expect(t, JsonToken.VALUE_STRING);
      proof.add(Hash32.fromHex("proof[" + proof.size() + "]", p.getText()));
    }
    return proof;
  }

  private Commitment commitment(JsonParser p, byte[] body) throws IOException, NotTaken {
    expect(p.nextToken(), JsonToken.START_OBJECT);
    List<String> seen = new ArrayList<>(7);
    Hash32 root = null;
    long issuedAt = -1;
    long expiresAt = -1;
    Boolean atomic = null;
    Address signer = null;
    Bytes signature = null;
    Read sameSignature = null;
    String pqHex = null;
    for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
      if (seen.contains(name)) {
        throw NotTaken.INSTANCE;
      }
      seen.add(name);
      switch (name) {
        case "root" -> root = Hash32.fromHex("commitment.root", text(p));
        case "issuedAt" -> issuedAt = number(p);
        case "expiresAt" -> expiresAt = number(p);
        case "atomic" -> atomic = bool(p);
        case "signer" -> signer = Address.fromHex("commitment.signer", text(p));
        case "signature" -> signature = Bytes.fromHex("commitment.signature", text(p));
        case "pqSignature" -> {
          if (p.nextToken() != JsonToken.VALUE_NULL) {
            sameSignature = root == null ? null : sameSignature(p, body, read.get(slot(root)));
            // The text is made (and later decoded) only when it is not the remembered one's.
            pqHex = sameSignature == null ? current(p) : null;
          }
        }
        default -> {
          p.nextToken();
          p.skipChildren();
        }
      }
    }
    if (root == null
        || issuedAt < 0
        || expiresAt < 0
        || atomic == null
        || signer == null
        || signature == null) {
      throw NotTaken.INSTANCE;
    }
    Bytes pq =
        sameSignature != null
            ? sameSignature.commitment().pqSignature()
            : pqHex == null ? null : Bytes.fromHex("commitment.pqSignature", pqHex);
    Commitment c = new Commitment(root, issuedAt, expiresAt, atomic, signer, signature, pq);
    int slot = slot(root);
    Read before = read.get(slot);
    if (before != null && before.commitment().equals(c)) {
      return before.commitment();
    }
    byte[] pqText =
        sameSignature != null
            ? sameSignature.pqText()
            : pqHex == null ? null : pqHex.getBytes(StandardCharsets.ISO_8859_1);
    read.set(slot, new Read(c, pqText));
    return c;
  }

  private static int slot(Hash32 root) {
    return root.hashCode() & (REMEMBERED - 1);
  }

  /**
   * {@code remembered} when the JSON string at the parser, in {@code body}, is its ML-DSA
   * signature's text byte for byte, else null. Sound without decoding the string: the remembered
   * text is hex, so a string whose bytes after its opening quote are that text followed by a quote
   * is exactly that text.
   */
  private static Read sameSignature(JsonParser p, byte[] body, Read remembered) throws NotTaken {
    expect(p.currentToken(), JsonToken.VALUE_STRING);
    if (remembered == null || remembered.pqText() == null) {
      return null;
    }
    byte[] text = remembered.pqText();
    long quote = p.currentTokenLocation().getByteOffset();
    if (quote < 0 || quote + 1 + text.length >= body.length) {
      return null;
    }
    int from = (int) quote + 1;
    int to = from + text.length;
    return body[from - 1] == '"'
            && body[to] == '"'
            && Arrays.equals(body, from, to, text, 0, text.length)
        ? remembered
        : null;
  }

  private static String text(JsonParser p) throws IOException, NotTaken {
    p.nextToken();
    return current(p);
  }

  private static String current(JsonParser p) throws IOException, NotTaken {
    expect(p.currentToken(), JsonToken.VALUE_STRING);
    return p.getText();
  }

  /** A whole JSON number from 0 to 2^53-1, as {@link Fields} reads one. */
  private static long number(JsonParser p) throws IOException, NotTaken {
    expect(p.nextToken(), JsonToken.VALUE_NUMBER_INT);
    JsonParser.NumberType type = p.getNumberType();
    if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) {
      throw NotTaken.INSTANCE;
    }
    long n = p.getLongValue();
    if (n < 0 || n > WireNumbers.MAX_SAFE) {
      throw NotTaken.INSTANCE;
    }
    return n;
  }

  private static boolean bool(JsonParser p) throws IOException, NotTaken {
    JsonToken t = p.nextToken();
    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
      throw NotTaken.INSTANCE;
    }
    return t == JsonToken.VALUE_TRUE;
  }

  private static void expect(JsonToken got, JsonToken wanted) throws NotTaken {
    if (got != wanted) {
      throw NotTaken.INSTANCE;
    }
  }
}
