-- Finality: the blocks each chain showed, what each block did to which promise (so that a reorg
-- can undo exactly that), the reorgs, and violations with evidence a third party can check.

-- One row per chain: its canonical head and a version that every reconciled block bumps. A
-- reconciliation locks the row and writes only if the version is the one it judged against.
create table chains (
    chain_id     bigint      primary key,
    version      bigint      not null,
    head_number  bigint      not null,
    head_hash    varchar(66) not null,
    updated_at   timestamptz not null default now()
);

create table blocks (
    chain_id      bigint      not null,
    hash          varchar(66) not null,
    number        bigint      not null,
    parent_hash   varchar(66) not null,
    slot          bigint      not null,
    transactions  jsonb       not null,                  -- array of 0x tx hashes, block order
    canonical     boolean     not null,
    seen_at       timestamptz not null default now(),
    orphaned_at   timestamptz,
    primary key (chain_id, hash)
);

-- At most one canonical block per height.
create unique index blocks_canonical_height on blocks (chain_id, number) where canonical;

create table block_effects (
    chain_id            bigint      not null,
    block_hash          varchar(66) not null,
    ordinal             integer     not null,
    preconfirmation_id  varchar(66) not null references preconfirmations (id),
    from_status         varchar(16) not null,
    from_block_number   bigint,
    from_block_hash     varchar(66),
    from_tx_index       integer,
    to_status           varchar(16) not null,
    to_block_number     bigint,
    to_block_hash       varchar(66),
    to_tx_index         integer,
    reason              text        not null,
    primary key (chain_id, block_hash, ordinal),
    foreign key (chain_id, block_hash) references blocks (chain_id, hash)
);

create table reorgs (
    id            bigserial   primary key,
    chain_id      bigint      not null,
    height        bigint      not null,
    replaced      varchar(66),
    replacement   varchar(66) not null,
    orphaned      jsonb       not null,                  -- array of 0x block hashes, lowest first
    detected_at   timestamptz not null default now()
);

-- Violations (table from V1) gain where they were found, their evidence, and a retraction mark
-- for when a reorg orphans the block that showed them. Evidence is kept as the exact text served.
alter table violations
    add column chain_id      bigint,
    add column block_hash    varchar(66),
    add column evidence      text,
    add column retracted_at  timestamptz;

create index violations_block on violations (chain_id, block_hash);

-- What the candidate reads of a reconciliation use.
create index preconfirmations_included on preconfirmations (chain_id, block_number)
    where block_number is not null;
