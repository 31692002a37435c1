-- eth-fabric commitment requests the engine promised, by request hash (keccak256 of the request's
-- abi encoding), so that commitmentResult can sign the commitment again from this table and the
-- transaction's preconfirmation. Byte strings are 0x hex, as everywhere here.
create table commitment_requests (
    request_hash     text        primary key,
    chain_id         bigint      not null,
    tx_hash          text        not null,
    commitment_type  bigint      not null,
    payload          text        not null,
    slasher          text        not null,
    received_at      timestamptz not null default now()
);
