-- What the record of every round writes, cut to what is read back.

-- The commitment's ML-DSA signature as its 3,309 bytes rather than 6,620 characters of hex: it is
-- written once per round, and was a third of the write-ahead log a round of five preconfirmations
-- made. Kept out of line without compression (random bytes do not compress; trying costs CPU).
-- Reads give the same 0x hex as before (StoredPreconfirmations).
alter table commitments
    alter column pq_signature type bytea using decode(substr(pq_signature, 3), 'hex');
alter table commitments alter column pq_signature set storage external;

-- Preconfirmations are no longer given a first history row as they are recorded: a row's own
-- status and recorded_at say when it was promised, and nothing read the copy (one more row, two
-- index entries and a foreign-key check per preconfirmation). Rows written before stay.
comment on table status_history is
    'Each status a preconfirmation moved to after it was recorded, and when; its first status'
    ' (PRECONFIRMED) is the preconfirmation row''s own, at its recorded_at.';
