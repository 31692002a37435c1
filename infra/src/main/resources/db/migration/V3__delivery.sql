-- Delivery: each promise keeps the signed transaction it is for, and each lane the sequence its
-- transactions are handed to the rollup's node through.

-- The transaction exactly as eth_sendRawTransaction takes it (0x hex, like every byte string
-- here), so that a lane can be handed to its node, or rebuilt, from this table alone. Null for
-- rows recorded before the engine kept transactions.
alter table preconfirmations add column signed_tx text;

-- DELIVERY_FAILED: the node refused the transaction for a reason sending it again will not change.
alter table preconfirmations drop constraint preconfirmations_status_known;
alter table preconfirmations add constraint preconfirmations_status_known
    check (status in ('PRECONFIRMED', 'INCLUDED', 'FINALIZED', 'VIOLATED', 'EXPIRED',
                      'DELIVERY_FAILED'));

-- One row per lane: delivered (or settled as failed) through delivered_through. fence is raised
-- by every takeover; a write names the fence its writer took over with and changes nothing once
-- a later takeover raised it, so a forwarder that lost its lease cannot move the cursor.
create table delivery_cursors (
    chain_id           bigint      primary key,
    fence              bigint      not null,
    delivered_through  bigint      not null,
    updated_at         timestamptz not null default now()
);
