-- What recording a round writes per preconfirmation, cut again.

-- A preconfirmation's proof as its sibling hashes' bytes, 32 each, in order, rather than a jsonb
-- array of 0x hex: 7 hashes (a round of 100) were about 490 bytes of jsonb to parse, store and log
-- per row, and are 224 bytes now. An empty proof (a round of one) is no bytes. Reads give the
-- same list as before (StoredPreconfirmations).
create function pg_temp.proof_bytes(proof jsonb) returns bytea
language sql immutable as $$
    select coalesce(string_agg(decode(substr(h, 3), 'hex'), ''::bytea order by o), ''::bytea)
    from jsonb_array_elements_text(proof) with ordinality as e(h, o)
$$;
alter table preconfirmations
    alter column proof type bytea using pg_temp.proof_bytes(proof);

-- No foreign key from a preconfirmation to its commitment: the one statement that inserts
-- preconfirmations inserts their commitments in the same statement (PgPreconfirmations.RECORD),
-- and commitments are never deleted. Its check was a lookup and a row lock on the commitment per
-- preconfirmation, a large part of a 100-preconfirmation record's time. Reads join on the root as
-- before, through the commitments primary key and preconfirmations_commitment.
alter table preconfirmations drop constraint preconfirmations_commitment_root_fkey;
