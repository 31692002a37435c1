// A WebSocket relay between a subscriber and the real feed, for what a test cannot ask the feed to
// do: alter a frame in flight, drop or repeat one, cut the connection, or close it as an
// overloaded node would. Everything else passes through unchanged, close codes included.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import WebSocket, { WebSocketServer, type RawData } from "ws";

export type FrameRule = (frame: Record<string, any>) => "pass" | "drop" | "repeat" | Record<string, any>;

export interface FeedProxy {
  url: string;
  /** The query strings subscribers connected with, in order (from= shows where each resumed). */
  connections: string[];
  /** Applied to each frame from the feed until it returns something other than "pass"; then removed. */
  once(rule: FrameRule): void;
  /** Closes every subscriber's connection with this code and reason, as the node would. */
  closeAll(code: number, reason: string): void;
  /** Cuts every subscriber's connection with no close frame at all. */
  cutAll(): void;
  stop(): Promise<void>;
}

export async function feedProxy(feedUrl: string): Promise<FeedProxy> {
  // The client's handshake completes only once the feed's has, as a relay in front of a real node
  // passes the node's own answer on: a client told it is connected is connected to the feed, so a
  // live subscription there gets what is published after that.
  const http = createServer((_request, response) => response.writeHead(426).end());
  const server = new WebSocketServer({ noServer: true });
  await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
  const connections: string[] = [];
  const rules: FrameRule[] = [];
  const pairs = new Set<{ down: WebSocket; up: WebSocket }>();

  http.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const query = new URL(request.url ?? "/", "http://x").search;
    connections.push(query);
    const up = new WebSocket(`${feedUrl}${query}`);
    const early: RawData[] = [];
    up.on("message", (data: RawData, binary: boolean) => {
      if (!binary) early.push(data);
    });
    const unreachable = () => accept((down) => down.close(1011, "the feed node cannot be reached"));
    up.once("error", unreachable);
    socket.once("close", () => up.terminate());
    up.once("open", () => {
      up.off("error", unreachable);
      accept((down) => relay(down, up, early));
    });

    function accept(then: (down: WebSocket) => void): void {
      if (socket.destroyed) return;
      server.handleUpgrade(request, socket, head, then);
    }
  });

  function relay(down: WebSocket, up: WebSocket, early: RawData[]): void {
    const pair = { down, up };
    pairs.add(pair);
    const pass = (data: RawData) => {
      if (down.readyState !== WebSocket.OPEN) return;
      const text = data.toString();
      const rule = rules[0];
      const verdict = rule ? rule(JSON.parse(text)) : "pass";
      if (verdict !== "pass") rules.shift();
      if (verdict === "drop") return;
      down.send(typeof verdict === "object" ? JSON.stringify(verdict) : text);
      if (verdict === "repeat") down.send(text);
    };
    up.removeAllListeners("message");
    early.splice(0).forEach(pass);
    up.on("message", (data: RawData, binary: boolean) => {
      if (!binary) pass(data);
    });
    up.on("close", (code, reason) => {
      pairs.delete(pair);
      if (down.readyState === WebSocket.OPEN) down.close(closable(code), reason.toString());
    });
    up.on("error", () => {
      pairs.delete(pair);
      if (down.readyState === WebSocket.OPEN) down.close(1011, "the feed node cannot be reached");
    });
    down.on("close", () => {
      pairs.delete(pair);
      if (up.readyState === WebSocket.OPEN || up.readyState === WebSocket.CONNECTING) up.terminate();
    });
  }

  return {
    url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/feed`,
    connections,
    once: (rule) => void rules.push(rule),
    closeAll(code, reason) {
      for (const { down, up } of pairs) {
        up.terminate();
        down.close(code, reason);
      }
    },
    cutAll() {
      for (const { down, up } of pairs) {
        up.terminate();
        down.terminate();
      }
    },
    async stop() {
      for (const { down, up } of pairs) {
        up.terminate();
        down.terminate();
      }
      server.close();
      const closed = new Promise((r) => http.close(r));
      http.closeAllConnections();
      await closed;
    },
  };
}

/** Codes a peer may not send (1005 no status, 1006 abnormal) become 1011. */
function closable(code: number): number {
  return code === 1005 || code === 1006 || code < 1000 ? 1011 : code;
}
