-- A commitment's row kept whole, its ML-DSA signature (3,309 bytes) included.

-- Past 2 KB a row is toasted: with the signature kept out of line (V9), each commitment written
-- was its row, two TOAST chunks and two entries in the TOAST table's index, about a twelfth of
-- PostgreSQL's CPU per round at 500 requests a second (heap_toast_insert_or_update under the
-- record; a machine-wide profile, bench/e2e.sh with E2E_PERF). A row is some 3.6 KB with the
-- signature and every column is bounded, so it fits a page as it is: rows up to a page's 8,160
-- bytes are now stored whole, nothing moved out or compressed. (The signature's storage alone set
-- to plain moved the row's small text columns out instead.) Rows written before keep their chunks
-- and read the same.
alter table commitments set (toast_tuple_target = 8160);
