-- Each commitment once. A round of group commit signs one commitment for hundreds of
-- preconfirmations; until now each of their rows kept the whole wire form in json, so a copy of
-- the commitment (its 3.3 KB ML-DSA signature above all) per preconfirmation. From here a row
-- keeps only what is its own (leaf values, proof, signed transaction, status), and a read
-- rebuilds the wire form from the row and its commitment's row.

-- Refuse to migrate if any row's stored wire form says something its columns and its
-- commitment's row do not: that row would no longer read back as it was served. (jsonb equality
-- ignores key order and spacing, as the stored copy itself did.)
do $$
declare
    differing varchar(66);
begin
    select p.id into differing
    from preconfirmations p join commitments c on c.root = p.commitment_root
    where p.json is distinct from jsonb_build_object(
        'id', p.id, 'chainId', p.chain_id, 'txHash', p.tx_hash, 'sender', p.sender,
        'nonce', p.nonce, 'sequence', p.sequence, 'previous', p.previous,
        'receivedAt', p.received_at, 'targetSlot', p.target_slot, 'proof', p.proof,
        'commitment', jsonb_build_object(
            'root', c.root, 'issuedAt', c.issued_at, 'expiresAt', c.expires_at,
            'atomic', c.atomic, 'signer', c.signer, 'signature', c.signature,
            'pqSignature', c.pq_signature))
    limit 1;
    if differing is not null then
        raise exception 'preconfirmation % keeps a wire form its columns and commitment row do not give back', differing;
    end if;
end $$;

-- Null first, so that the copies stop taking space once vacuumed; a dropped column alone keeps
-- its data in every existing row until the row is written again.
alter table preconfirmations alter column json drop not null;
update preconfirmations set json = null;
alter table preconfirmations drop column json;
