#!/usr/bin/env bash
# Bytes PostgreSQL keeps per preconfirmation, and the time of one round's record statement, with
# each row carrying a whole wire-form copy of its commitment (the V1-V3 schema) and with each
# commitment kept once (V4). Writes benchmarks/storage.md.
#
# Rows are made in SQL with the sizes the engine writes: 65-byte ECDSA and 3,309-byte ML-DSA-65
# signatures of random hex, a 115-byte signed transfer, a proof of ceil(log2 round) hashes. Each
# scenario runs in a scratch database of its own, created here and dropped afterwards.
#
# Usage: bench/storage.sh            (PRECONF_PG_PORT: the PostgreSQL to use, default 5439)
#        N=1000 TIMED_ROUNDS=20 bench/storage.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${PRECONF_PG_PORT:-5439}"
N="${N:-1000}"
TIMED_ROUNDS="${TIMED_ROUNDS:-20}"
MIGRATIONS="$ROOT/infra/src/main/resources/db/migration"
OUT="$ROOT/benchmarks/storage.md"
PSQL=(psql -h 127.0.0.1 -p "$PORT" -U postgres -X -q -v ON_ERROR_STOP=1)

# Random lowercase 0x hex of $1 bytes, new for every row it is evaluated for.
hex() {
  echo "'0x' || left((select string_agg(md5(random()::text || g::text || x::text), '')
    from generate_series(1, ceil($1 / 16.0)::int) g), $1 * 2)"
}

# One round: $2 preconfirmations from sequence $1 on, sharing one commitment; $3 is "old" (each
# row with its wire form in json, as V1-V3 wrote it: text the engine encoded, parsed as jsonb) or
# "new" (V4). The values are staged first, untimed; psql times only the record statement.
round_sql() {
  local first=$1 size=$2 shape=$3
  local depth
  depth=$(awk -v n="$size" 'BEGIN { d = 0; while (2 ^ d < n) d++; print d }')
  local json_col="" json_val=""
  if [ "$shape" = old ]; then
    json_col=", json"
    json_val=", r.json::jsonb"
  fi
  cat <<SQL
\\timing off
create temp table sc as
  select $(hex 32) as root, 1765000000000::bigint as issued_at, 1765000060000::bigint as expires_at,
    false as atomic, $(hex 20) as signer, $(hex 65) as signature, $(hex 3309) as pq_signature
  from (select 0 as x) x;
create temp table sr as
  select x as seq, $(hex 32) as id, $(hex 32) as tx, $(hex 20) as sender, $(hex 115) as signed,
    coalesce((select jsonb_agg(h) from (select $(hex 32) as h
      from generate_series(1, $depth) d where x > -d) hs), '[]'::jsonb) as proof
  from generate_series($first, $first + $size - 1) x;
alter table sr add column json text;
update sr set json = jsonb_build_object('id', sr.id, 'chainId', 167000, 'txHash', sr.tx,
  'sender', sr.sender, 'nonce', sr.seq, 'sequence', sr.seq, 'previous', sr.tx,
  'receivedAt', sr.seq, 'targetSlot', 1, 'proof', sr.proof, 'commitment', jsonb_build_object(
  'root', c.root, 'issuedAt', c.issued_at, 'expiresAt', c.expires_at, 'atomic', c.atomic,
  'signer', c.signer, 'signature', c.signature, 'pqSignature', c.pq_signature))::text
  from sc c;
\\timing on
with c as (
  insert into commitments (root, issued_at, expires_at, atomic, signer, signature, pq_signature)
  select * from sc
  on conflict (root) do nothing
), p as (
  insert into preconfirmations (id, chain_id, tx_hash, sender, nonce, sequence, previous,
    received_at, target_slot, proof, commitment_root, signed_tx $json_col)
  select r.id, 167000, r.tx, r.sender, r.seq, r.seq, r.tx, r.seq, 1, r.proof, c.root, r.signed
    $json_val
  from sr r cross join sc c
  returning id, status
)
insert into status_history (preconfirmation_id, status) select id, status from p;
\\timing off
drop table sc, sr;
SQL
}

# A scratch database at schema $1 (3 or 4); prints its name.
scratch() {
  local name="storage_bench_$$_$RANDOM"
  "${PSQL[@]}" -d postgres -c "create database $name" >/dev/null
  for v in V1__preconfirmations.sql V2__finality.sql V3__delivery.sql; do
    "${PSQL[@]}" -d "$name" -f "$MIGRATIONS/$v" >/dev/null
  done
  [ "$1" = 4 ] && "${PSQL[@]}" -d "$name" -f "$MIGRATIONS/V4__commitments_once.sql" >/dev/null
  echo "$name"
}

drop() { "${PSQL[@]}" -d postgres -c "drop database $1" >/dev/null; }

# Bytes of the tables a record writes (with their indexes and TOAST), after a vacuum full.
bytes() {
  "${PSQL[@]}" -d "$1" -c "vacuum full" >/dev/null
  "${PSQL[@]}" -d "$1" -At -c "select pg_total_relation_size('preconfirmations')
    + pg_total_relation_size('commitments') + pg_total_relation_size('status_history')"
}

# Writes $2 preconfirmations in rounds of $3, in shape $4, into database $1.
fill() {
  local db=$1 total=$2 size=$3 shape=$4 first=1 sql round
  sql=$(mktemp)
  round=$(round_sql FIRST "$size" "$shape")
  while [ "$first" -le "$total" ]; do
    echo "${round//FIRST/$first}" >>"$sql"
    first=$((first + size))
  done
  "${PSQL[@]}" -d "$db" -f "$sql" >/dev/null
  rm -f "$sql"
}

# Median milliseconds of one round's statement: $TIMED_ROUNDS rounds of $2 in shape $3 into $1,
# each its own statement (and transaction), as the engine records a round.
round_ms() {
  local db=$1 size=$2 shape=$3 first=1 sql round
  sql=$(mktemp)
  round=$(round_sql FIRST "$size" "$shape")
  for _ in $(seq "$TIMED_ROUNDS"); do
    echo "${round//FIRST/$first}" >>"$sql"
    first=$((first + size))
  done
  "${PSQL[@]}" -d "$db" -f "$sql" | awk '/^Time:/ { print $2 }' | sort -n |
    awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] }'
  rm -f "$sql"
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A SIZE TIME
for size in 1 "$N"; do
  db=$(scratch 3)
  fill "$db" "$N" "$size" old
  SIZE[old,$size]=$(bytes "$db")
  "${PSQL[@]}" -d "$db" -f "$MIGRATIONS/V4__commitments_once.sql" >/dev/null
  SIZE[migrated,$size]=$(bytes "$db")
  drop "$db"
  db=$(scratch 4)
  fill "$db" "$N" "$size" new
  SIZE[new,$size]=$(bytes "$db")
  drop "$db"
done
for size in $(printf '%s\n' 1 100 "$N" | sort -nu); do
  for shape in old new; do
    db=$(scratch "$([ "$shape" = old ] && echo 3 || echo 4)")
    TIME[$shape,$size]=$(round_ms "$db" "$size" "$shape")
    drop "$db"
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

per() { awk -v b="$1" -v n="$N" 'BEGIN { printf "%.0f", b / n }'; }
{
  echo "# Storage per preconfirmation (PostgreSQL)"
  echo
  echo "Written by \`bench/storage.sh\` on $(date -u +%Y-%m-%dT%H:%M:%SZ)."
  echo
  echo "- Command: \`PRECONF_PG_PORT=$PORT N=$N TIMED_ROUNDS=$TIMED_ROUNDS bench/storage.sh\`"
  echo "- PostgreSQL: $("${PSQL[@]}" -d postgres -At -c 'show server_version'), fsync $("${PSQL[@]}" -d postgres -At -c 'show fsync')"
  echo "- Machine: $(nproc) cores; load average before: $LOAD_BEFORE; after: $LOAD_AFTER (shared with other builds)"
  echo "- Rows: made in SQL at the engine's sizes (65-byte ECDSA and 3,309-byte ML-DSA-65"
  echo "  signatures as random hex, a 115-byte signed transfer, ceil(log2 round) proof hashes)."
  echo "  Bytes are pg_total_relation_size of preconfirmations + commitments + status_history"
  echo "  (tables, indexes, TOAST) after a vacuum full, divided by $N preconfirmations."
  echo
  echo "## Bytes per preconfirmation"
  echo
  echo "| $N preconfirmations written | V3: wire copy per row | V3 rows migrated to V4 | V4 |"
  echo "|---|---:|---:|---:|"
  echo "| in one round (one commitment) | $(per "${SIZE[old,$N]}") | $(per "${SIZE[migrated,$N]}") | $(per "${SIZE[new,$N]}") |"
  echo "| in single rounds (a commitment each) | $(per "${SIZE[old,1]}") | $(per "${SIZE[migrated,1]}") | $(per "${SIZE[new,1]}") |"
  echo
  echo "## One round's record statement (median of $TIMED_ROUNDS, ms, server side)"
  echo
  echo "psql's \`\\timing\` of the one statement that records a round (commitment,"
  echo "preconfirmations, first statuses; its own transaction) from values staged beforehand, the"
  echo "V3 rows' wire form staged as the text the engine sent. The engine's encoding and sending"
  echo "of the rows (a copy of the signatures per row in V3) is not in it."
  echo
  echo "| preconfirmations in the round | V3: wire copy per row | V4 |"
  echo "|---:|---:|---:|"
  for size in $(printf '%s\n' 1 100 "$N" | sort -nu); do
    echo "| $size | ${TIME[old,$size]} | ${TIME[new,$size]} |"
  done
} >"$OUT"
cat "$OUT"
