// What the project's Node test runners share (clients/js, clients/wallets, contracts): a free
// loopback port for a server they start, and a command run in the foreground whose exit status
// they pass on. Node's built-ins only, so any package of the repository can import it.
import { spawnSync } from "node:child_process";
import { createServer } from "node:net";

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Runs command with args in cwd, its output on ours; its exit status (1 when it had none). */
export function run(command, args, env, cwd) {
  const r = spawnSync(command, args, { cwd, env, stdio: "inherit" });
  return r.status ?? 1;
}
