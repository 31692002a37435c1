/**
 * The engine as viem actions: `client.extend(preconfActions({ url, feedUrl }))` on a rollup's
 * client gives `preconfirm`, `preconfirmTransaction` (sign with the client's account, then
 * preconfirm), `getPreconfirmationStatus`, `getPreconfInfo`, `verifyPreconfirmation` and
 * `watchPreconfirmations`, the chain id defaulting to the client's chain.
 */
import type {
  Account,
  Chain,
  Client,
  TransactionSerializableEIP1559,
  TransactionSerializableEIP2930,
  TransactionSerializableLegacy,
  Transport,
} from "viem";
import { signTransaction } from "viem/actions";
import { subscribe, type FeedSubscription, type SubscribeOptions } from "./feed.js";
import { createEngineClient, type EngineOptions, type PreconfirmOptions } from "./http.js";
import type { Info, PreconfirmResult, StatusResult } from "./types.js";
import { verifyPreconfirmation, type Verification, type VerifyOptions } from "./verify.js";

type ChainIdOptional<T> = T extends unknown ? Omit<T, "chainId"> & { chainId?: number } : never;

/** The transaction types the engine takes (spec section 1); the chain id defaults to the client's. */
export type PreconfirmableTransaction = ChainIdOptional<
  TransactionSerializableEIP1559 | TransactionSerializableEIP2930 | TransactionSerializableLegacy
>;

export interface PreconfActionsOptions extends EngineOptions {
  /** The feed's WebSocket URL, for `watchPreconfirmations`. */
  feedUrl?: string;
}

// A type, not an interface: viem's extend takes objects with an index signature.
export type PreconfActions = {
  preconfirm(transactions: readonly string[], options?: PreconfirmOptions): Promise<PreconfirmResult>;
  /** Signs `transaction` with the client's account for the client's chain, then preconfirms it. */
  preconfirmTransaction(transaction: PreconfirmableTransaction, options?: PreconfirmOptions): Promise<PreconfirmResult>;
  getPreconfirmationStatus(args: { txHash: string; chainId?: number }): Promise<StatusResult>;
  getPreconfInfo(): Promise<Info>;
  verifyPreconfirmation(preconfirmation: unknown, options: VerifyOptions): Verification;
  watchPreconfirmations(options?: Omit<SubscribeOptions, "url" | "chainIds"> & { chainIds?: readonly number[] }): FeedSubscription;
};

export function preconfActions(options: PreconfActionsOptions) {
  const engine = createEngineClient(options);
  return <chain extends Chain | undefined, account extends Account | undefined>(
    client: Client<Transport, chain, account>,
  ): PreconfActions => {
    const chainId = (given?: number): number => {
      const id = given ?? client.chain?.id;
      if (id === undefined) throw new TypeError("no chainId given and the client has no chain");
      return id;
    };
    return {
      preconfirm: (transactions, o) => engine.preconfirm(transactions, o),
      async preconfirmTransaction(transaction, o) {
        const account = client.account;
        if (!account) throw new TypeError("preconfirmTransaction needs a client with an account");
        const request = { ...transaction, chainId: transaction.chainId ?? chainId() } as TransactionSerializableEIP1559;
        // A local account signs offline; a JSON-RPC one through eth_signTransaction.
        const signed = account.signTransaction
          ? await account.signTransaction(request)
          : await signTransaction(client as Client<Transport, Chain, Account>, { ...request, account } as never);
        return engine.preconfirm([signed], o);
      },
      getPreconfirmationStatus: ({ txHash, chainId: id }) => engine.status(chainId(id), txHash),
      getPreconfInfo: () => engine.info(),
      verifyPreconfirmation: (p, o) => verifyPreconfirmation(p, o),
      watchPreconfirmations(o = {}) {
        if (!options.feedUrl) throw new TypeError("watchPreconfirmations needs preconfActions({ feedUrl })");
        return subscribe({ ...o, url: options.feedUrl, chainIds: o.chainIds ?? [chainId()] });
      },
    };
  };
}
