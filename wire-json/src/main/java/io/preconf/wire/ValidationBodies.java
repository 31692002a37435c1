package io.preconf.wire;

import io.preconf.core.commit.Commitment;
import io.preconf.core.commit.Leaf;
import io.preconf.core.commit.Preconfirmation;
import io.preconf.core.error.Result;
import io.preconf.core.types.Address;
import io.preconf.core.types.Bytes;
import io.preconf.core.types.ChainId;
import io.preconf.core.types.Hash32;
import io.preconf.core.wire.WireNumbers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code validate}'s body read from its bytes in one pass, without the tree {@link
 * FunctionRequests#validations} reads: a preconfirmation is about 8 KB of JSON, 6.6 KB of it the
 * ML-DSA signature's hex, and a tree copies every value into a node before a field is read.
 *
 * <p>It takes only what it reads exactly as the tree reader would: JSON without escapes, numbers
 * that are whole, every field of the right type and well formed, no field twice, nothing after the
 * object. For anything else it says nothing and the caller reads the tree, whose refusals name the
 * problem as the contract fixes them. So a body gets the same answer whichever reader took it.
 *
 * <p>A commitment is looked up by its root, the first field an engine writes, among those whose
 * signatures verified before (and the one the body's previous preconfirmation held). When the
 * body's ML-DSA signature is the known signature's lowercase hex digit for digit, compared where it
 * lies in the body, it is neither scanned for its end nor decoded, and when every other field is
 * the known one's too the known commitment is handed back. Any byte different, in any field, and
 * the commitment is read from its own text: what is handed back always equals what decoding would
 * give, and validation judges it on the whole commitment.
 */
public final class ValidationBodies {
  private static final int ID = 0;
  private static final int CHAIN_ID = 1;
  private static final int TX_HASH = 2;
  private static final int SENDER = 3;
  private static final int NONCE = 4;
  private static final int SEQUENCE = 5;
  private static final int PREVIOUS = 6;
  private static final int RECEIVED_AT = 7;
  private static final int TARGET_SLOT = 8;
  private static final int PROOF = 9;
  private static final int COMMITMENT = 10;
  private static final int RAW_TRANSACTION = 11;
  private static final int PRECONFIRMATIONS = 12;

  /** A preconfirmation's fields by the numbers above, in the order an engine writes them. */
  private static final byte[][] FIELDS =
      names(
          "id",
          "chainId",
          "txHash",
          "sender",
          "nonce",
          "sequence",
          "previous",
          "receivedAt",
          "targetSlot",
          "proof",
          "commitment",
          "rawTransaction",
          "preconfirmations");

  private static final int ROOT = 0;
  private static final int ISSUED_AT = 1;
  private static final int EXPIRES_AT = 2;
  private static final int ATOMIC = 3;
  private static final int SIGNER = 4;
  private static final int SIGNATURE = 5;
  private static final int PQ_SIGNATURE = 6;

  private static final byte[][] COMMITMENT_FIELDS =
      names("root", "issuedAt", "expiresAt", "atomic", "signer", "signature", "pqSignature");

  /** Deeper than any value a client adds beside the fields read; Jackson allows 1,000. */
  private static final int MAX_SKIPPED_DEPTH = 64;

  /** Jackson's bound on a number's digits; a longer one makes the tree reader fail. */
  private static final int MAX_NUMBER_DIGITS = 1000;

  private static final byte[] TRUE = bytes("true");
  private static final byte[] FALSE = bytes("false");
  private static final byte[] NULL = bytes("null");

  private final Function<Hash32, Optional<Commitment>> verified;

  /**
   * @param verified the commitment over a root whose signatures verified before, if any
   */
  public ValidationBodies(Function<Hash32, Optional<Commitment>> verified) {
    this.verified = Objects.requireNonNull(verified, "verified");
  }

  /** A body that does not take the form this reader follows; the tree reader will say why. */
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
    try {
      return Optional.of(new Reader(body).body());
    } catch (NotTaken | RuntimeException e) {
      // A value type's refusal (MalformedValueException) among them: the tree reader names it.
      return Optional.empty();
    }
  }

  /** One body's bytes and the place reached in them. */
  private final class Reader {
    private final byte[] b;
    private int at;

    /** The commitment the body's previous preconfirmation held: the leaves of a batch share one. */
    private Commitment previous;

    Reader(byte[] body) {
      this.b = body;
    }

    FunctionRequests.Validations body() throws NotTaken {
      open('{');
      Draft one = new Draft();
      List<Result<FunctionRequests.Validation>> batch = null;
      if (!closes('}')) {
        int last = -1;
        do {
          int field = name(FIELDS, last + 1);
          if (field == PRECONFIRMATIONS) {
            if (batch != null) {
              throw NotTaken.INSTANCE;
            }
            batch = list();
          } else {
            one.field(field);
          }
          last = field;
        } while (more('}'));
      }
      skipSpace();
      if (at != b.length) {
        throw NotTaken.INSTANCE;
      }
      return batch != null
          ? new FunctionRequests.Validations(true, batch)
          : FunctionRequests.Validations.one(Result.ok(one.validation()));
    }

    private List<Result<FunctionRequests.Validation>> list() throws NotTaken {
      open('[');
      List<Result<FunctionRequests.Validation>> items = new ArrayList<>();
      if (closes(']')) {
        return items;
      }
      do {
        if (items.size() == FunctionRequests.MAX_VALIDATIONS) {
          throw NotTaken.INSTANCE;
        }
        open('{');
        Draft d = new Draft();
        if (!closes('}')) {
          int last = -1;
          do {
            last = name(FIELDS, last + 1);
            if (last == PRECONFIRMATIONS) {
              d.unknown();
            } else {
              d.field(last);
            }
          } while (more('}'));
        }
        items.add(Result.ok(d.validation()));
      } while (more(']'));
      return items;
    }

    /** The fields of one preconfirmation object as they are read, in whatever order they come. */
    private final class Draft {
      private int seen;
      private List<String> unknown;
      private Hash32 id;
      private ChainId chainId;
      private Hash32 txHash;
      private Address sender;
      private long nonce = -1;
      private long sequence = -1;
      private Hash32 previousHash;
      private long receivedAt = -1;
      private long targetSlot = -1;
      private List<Hash32> proof;
      private Commitment commitment;
      private Bytes rawTransaction;

      /** Reads the value of field {@code field} (a number of {@link #FIELDS}, or -1: unknown). */
      void field(int field) throws NotTaken {
        if (field < 0) {
          unknown();
          return;
        }
        once(field);
        switch (field) {
          case ID -> id = hash();
          case CHAIN_ID -> chainId = ChainId.of(number());
          case TX_HASH -> txHash = hash();
          case SENDER -> sender = address();
          case NONCE -> nonce = number();
          case SEQUENCE -> sequence = number();
          case PREVIOUS -> previousHash = hash();
          case RECEIVED_AT -> receivedAt = number();
          case TARGET_SLOT -> targetSlot = number();
          case PROOF -> proof = proof();
          case COMMITMENT -> commitment = commitment();
          case RAW_TRANSACTION -> rawTransaction = isNull() ? null : Bytes.wrap(hex());
          default -> throw new IllegalArgumentException("field " + field);
        }
      }

      private void once(int field) throws NotTaken {
        if ((seen & (1 << field)) != 0) {
          throw NotTaken.INSTANCE;
        }
        seen |= 1 << field;
      }

      /**
       * Skips the value of a field this reader does not read, its name just read: a field twice
       * leaves the body to the tree reader, as a known one does.
       */
      void unknown() throws NotTaken {
        String name = new String(b, nameFrom, nameTo - nameFrom, StandardCharsets.ISO_8859_1);
        if (unknown == null) {
          unknown = new ArrayList<>(2);
        } else if (unknown.contains(name)) {
          throw NotTaken.INSTANCE;
        }
        unknown.add(name);
        skipValue(0);
      }

      FunctionRequests.Validation validation() throws NotTaken {
        if (id == null
            || chainId == null
            || txHash == null
            || sender == null
            || nonce < 0
            || sequence < 0
            || previousHash == null
            || receivedAt < 0
            || targetSlot < 0
            || proof == null
            || commitment == null) {
          throw NotTaken.INSTANCE;
        }
        Leaf leaf =
            new Leaf(
                chainId, txHash, sender, nonce, sequence, previousHash, receivedAt, targetSlot);
        return new FunctionRequests.Validation(
            new Preconfirmation(id, leaf, proof, commitment), rawTransaction);
      }
    }

    private List<Hash32> proof() throws NotTaken {
      open('[');
      List<Hash32> proof = new ArrayList<>();
      if (closes(']')) {
        return proof;
      }
      do {
        if (proof.size() == PreconfirmationCodec.MAX_PROOF_LENGTH) {
          throw NotTaken.INSTANCE;
        }
        proof.add(hash());
      } while (more(']'));
      return proof;
    }

    /**
     * The commitment object: the known one when the body spells it byte for byte (see the class
     * comment), else the one its text spells.
     */
    private Commitment commitment() throws NotTaken {
      open('{');
      if (closes('}')) {
        throw NotTaken.INSTANCE;
      }
      int seen = 0;
      Commitment known = null;
      Hash32 root = null;
      long issuedAt = -1;
      long expiresAt = -1;
      Boolean atomic = null;
      Address signer = null;
      Bytes signature = null;
      Bytes pq = null;
      int last = -1;
      do {
        last = name(COMMITMENT_FIELDS, last + 1);
        if (last < 0) {
          // Fields beside the commitment's own are not in its shape: the tree reader names them.
          throw NotTaken.INSTANCE;
        }
        if ((seen & (1 << last)) != 0) {
          throw NotTaken.INSTANCE;
        }
        seen |= 1 << last;
        switch (last) {
          case ROOT -> {
            root = hash();
            known = known(root);
          }
          case ISSUED_AT -> issuedAt = number();
          case EXPIRES_AT -> expiresAt = number();
          case ATOMIC -> atomic = bool();
          case SIGNER -> signer = address();
          case SIGNATURE -> signature = Bytes.wrap(hex());
          case PQ_SIGNATURE -> pq = isNull() ? null : pqSignature(known);
          default -> throw new IllegalArgumentException("field " + last);
        }
      } while (more('}'));
      // Every field but the ML-DSA signature, which is null when absent as when null.
      if ((seen | 1 << PQ_SIGNATURE) != (1 << COMMITMENT_FIELDS.length) - 1) {
        throw NotTaken.INSTANCE;
      }
      Commitment c = new Commitment(root, issuedAt, expiresAt, atomic, signer, signature, pq);
      if (c.equals(known)) {
        c = known;
      }
      previous = c;
      return c;
    }

    /** The commitment over {@code root} verified before or held by the previous preconfirmation. */
    private Commitment known(Hash32 root) {
      if (previous != null && previous.root().equals(root)) {
        return previous;
      }
      return verified.apply(root).orElse(null);
    }

    /**
     * The ML-DSA signature at the place reached: {@code known}'s own bytes when the body spells
     * them (a hex digit string ends only at its closing quote), else decoded from its text.
     */
    private Bytes pqSignature(Commitment known) throws NotTaken {
      skipSpace();
      expect('"');
      if (known != null && known.hasPqSignature()) {
        byte[] pq = known.pqSignature().unsafeArray();
        int end = at + 2 + 2 * pq.length;
        if (end < b.length
            && b[at] == '0'
            && b[at + 1] == 'x'
            && b[end] == '"'
            && HexText.spells(b, at + 2, pq)) {
          at = end + 1;
          return known.pqSignature();
        }
      }
      at--;
      return Bytes.wrap(hex());
    }

    private Hash32 hash() throws NotTaken {
      byte[] h = hex();
      if (h.length != Hash32.SIZE) {
        throw NotTaken.INSTANCE;
      }
      return Hash32.wrap(h);
    }

    private Address address() throws NotTaken {
      byte[] a = hex();
      if (a.length != Address.SIZE) {
        throw NotTaken.INSTANCE;
      }
      return Address.wrap(a);
    }

    /** A string of {@code 0x}-prefixed hex, decoded. */
    private byte[] hex() throws NotTaken {
      skipSpace();
      expect('"');
      int from = at;
      int to = stringEnd();
      at = to + 1;
      byte[] decoded = HexText.decode(b, from, to);
      if (decoded == null) {
        throw NotTaken.INSTANCE;
      }
      return decoded;
    }

    /**
     * Where the string begun at the place reached ends (its closing quote). An escape, a control
     * character or any byte beyond ASCII leaves the body to the tree reader: none is in what an
     * engine writes, and each would need decoding to compare.
     */
    private int stringEnd() throws NotTaken {
      int end = HexText.firstSpecial(b, at);
      if (end < 0 || b[end] != '"') {
        throw NotTaken.INSTANCE;
      }
      return end;
    }

    /** Where the last field name read lies in the body. */
    private int nameFrom;

    private int nameTo;

    /**
     * Reads a field name and its colon: its number in {@code names}, or -1 when it is none of them.
     * {@code likely} is tried first: fields mostly come in the order an engine writes them.
     */
    private int name(byte[][] names, int likely) throws NotTaken {
      skipSpace();
      expect('"');
      nameFrom = at;
      nameTo = stringEnd();
      at = nameTo + 1;
      skipSpace();
      expect(':');
      if (likely < names.length && is(names[likely])) {
        return likely;
      }
      for (int i = 0; i < names.length; i++) {
        if (is(names[i])) {
          return i;
        }
      }
      return -1;
    }

    private boolean is(byte[] name) {
      return nameTo - nameFrom == name.length
          && Arrays.equals(b, nameFrom, nameTo, name, 0, name.length);
    }

    /** A whole number from 0 to 2^53-1, as {@link Fields} reads one. */
    private long number() throws NotTaken {
      skipSpace();
      int from = at;
      long n = 0;
      while (at < b.length && isDigit(b[at])) {
        if (at - from == 16) {
          throw NotTaken.INSTANCE;
        }
        n = n * 10 + (b[at++] - '0');
      }
      endOfNumber(from);
      if (n > WireNumbers.MAX_SAFE) {
        throw NotTaken.INSTANCE;
      }
      return n;
    }

    /**
     * Refuses the number just read from {@code from} unless it is a whole JSON number: digits, no
     * leading zero, no fraction or exponent after.
     */
    private void endOfNumber(int from) throws NotTaken {
      if (at == from || (b[from] == '0' && at - from > 1)) {
        throw NotTaken.INSTANCE;
      }
      if (at < b.length && (b[at] == '.' || b[at] == 'e' || b[at] == 'E')) {
        throw NotTaken.INSTANCE;
      }
    }

    private boolean bool() throws NotTaken {
      skipSpace();
      if (literal(TRUE)) {
        return true;
      }
      if (literal(FALSE)) {
        return false;
      }
      throw NotTaken.INSTANCE;
    }

    private boolean isNull() {
      skipSpace();
      return literal(NULL);
    }

    private boolean literal(byte[] word) {
      if (at + word.length <= b.length
          && Arrays.equals(b, at, at + word.length, word, 0, word.length)) {
        at += word.length;
        return true;
      }
      return false;
    }

    /** Skips any JSON value this reader follows, objects and arrays to a bounded depth. */
    private void skipValue(int depth) throws NotTaken {
      if (depth > MAX_SKIPPED_DEPTH) {
        throw NotTaken.INSTANCE;
      }
      skipSpace();
      if (at == b.length) {
        throw NotTaken.INSTANCE;
      }
      switch (b[at]) {
        case '"' -> {
          at++;
          at = stringEnd() + 1;
        }
        case '{' -> {
          at++;
          if (!closes('}')) {
            do {
              name(FIELDS, FIELDS.length);
              skipValue(depth + 1);
            } while (more('}'));
          }
        }
        case '[' -> {
          at++;
          if (!closes(']')) {
            do {
              skipValue(depth + 1);
            } while (more(']'));
          }
        }
        case 't', 'f', 'n' -> {
          if (!literal(TRUE) && !literal(FALSE) && !literal(NULL)) {
            throw NotTaken.INSTANCE;
          }
        }
        default -> {
          if (b[at] == '-') {
            at++;
          }
          int from = at;
          while (at < b.length && isDigit(b[at])) {
            at++;
          }
          endOfNumber(from);
          if (at - from > MAX_NUMBER_DIGITS) {
            throw NotTaken.INSTANCE;
          }
        }
      }
    }

    private void open(char c) throws NotTaken {
      skipSpace();
      expect(c);
    }

    /** Whether the container opened ends at once, with {@code close}. */
    private boolean closes(char close) {
      skipSpace();
      if (at < b.length && b[at] == close) {
        at++;
        return true;
      }
      return false;
    }

    /** After a value in a container: true at a comma, false at its {@code close}. */
    private boolean more(char close) throws NotTaken {
      skipSpace();
      if (at < b.length) {
        byte c = b[at++];
        if (c == ',') {
          return true;
        }
        if (c == close) {
          return false;
        }
      }
      throw NotTaken.INSTANCE;
    }

    private void expect(char c) throws NotTaken {
      if (at >= b.length || b[at] != c) {
        throw NotTaken.INSTANCE;
      }
      at++;
    }

    /** JSON's whitespace: space, tab, line feed, carriage return. */
    private void skipSpace() {
      while (at < b.length) {
        byte c = b[at];
        if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
          return;
        }
        at++;
      }
    }
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  private static byte[][] names(String... names) {
    byte[][] out = new byte[names.length][];
    for (int i = 0; i < names.length; i++) {
      out[i] = bytes(names[i]);
    }
    return out;
  }

  private static byte[] bytes(String ascii) {
    return ascii.getBytes(StandardCharsets.ISO_8859_1);
  }
}
