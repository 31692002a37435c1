-- Issued preconfirmations and their commitments. Byte strings are kept as the same lowercase
-- 0x hex the wire contract uses, so rows read the same in psql as in a client's JSON.

create table commitments (
    root          varchar(66) primary key,
    issued_at     bigint      not null,
    expires_at    bigint      not null,
    atomic        boolean     not null,
    signer        varchar(42) not null,
    signature     text        not null,
    pq_signature  text,
    recorded_at   timestamptz not null default now()
);

create table preconfirmations (
    id               varchar(66) primary key,             -- the leaf hash
    chain_id         bigint      not null,
    tx_hash          varchar(66) not null,
    sender           varchar(42) not null,
    nonce            bigint      not null,
    sequence         bigint      not null,
    previous         varchar(66) not null,
    received_at      bigint      not null,
    target_slot      bigint      not null,
    proof            jsonb       not null,                -- array of 0x sibling hashes
    commitment_root  varchar(66) not null references commitments (root),
    status           varchar(16) not null default 'PRECONFIRMED',
    block_number     bigint,                              -- where it was included, once it was
    block_hash       varchar(66),
    tx_index         integer,
    json             jsonb       not null,                -- the wire form, spec section 4
    recorded_at      timestamptz not null default now(),
    -- One promise per transaction, one transaction per lane position, one per (sender, nonce).
    constraint preconfirmations_tx_unique       unique (chain_id, tx_hash),
    constraint preconfirmations_sequence_unique unique (chain_id, sequence),
    constraint preconfirmations_nonce_unique    unique (chain_id, sender, nonce),
    constraint preconfirmations_status_known
        check (status in ('PRECONFIRMED', 'INCLUDED', 'FINALIZED', 'VIOLATED', 'EXPIRED'))
);

create index preconfirmations_commitment on preconfirmations (commitment_root);
create index preconfirmations_open on preconfirmations (chain_id, target_slot)
    where status = 'PRECONFIRMED';

create table status_history (
    id                 bigserial   primary key,
    preconfirmation_id varchar(66) not null references preconfirmations (id),
    status             varchar(16) not null,
    changed_at         timestamptz not null default now(),
    detail             jsonb                                 -- e.g. the block that included it
);

create index status_history_preconfirmation on status_history (preconfirmation_id, changed_at);

create table violations (
    id                 bigserial   primary key,
    preconfirmation_id varchar(66) not null references preconfirmations (id),
    kind               varchar(64) not null,                 -- e.g. NOT_INCLUDED, WRONG_ORDER
    detail             text        not null,
    detected_at        timestamptz not null default now()
);

create index violations_preconfirmation on violations (preconfirmation_id);

-- Lane positions that were assigned but never recorded: their sequences stay used, so that a
-- lane restored from this database after Redis lost its data does not hand them out again.
create table void_positions (
    chain_id     bigint      not null,
    sequence     bigint      not null,
    tx_hash      varchar(66) not null,
    received_at  bigint      not null,
    voided_at    timestamptz not null default now(),
    primary key (chain_id, sequence)
);
