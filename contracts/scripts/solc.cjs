#!/usr/bin/env node
// The Solidity compiler for forge, as the command line forge expects of a native solc
// (`--version`, `--standard-json` on stdin), backed by the pinned solc package from npm (the
// official compiler built to WebAssembly). Forge's own download of native compilers needs a host
// this project does not reach; foundry.toml points `solc` here instead, and scripts/forge.sh
// makes this file executable.
const solc = require("solc");

const args = process.argv.slice(2);
if (args.includes("--version")) {
  // Forge reads the version from a line "Version: <semver>+commit.<hash>...".
  process.stdout.write(
    `solc, the solidity compiler commandline interface\nVersion: ${solc.version().replace(".Emscripten.clang", ".Linux.g++")}\n`,
  );
} else if (args.includes("--standard-json")) {
  const chunks = [];
  process.stdin.on("data", (chunk) => chunks.push(chunk));
  process.stdin.on("end", () => {
    // Forge sends every source's content, so no import needs resolving here.
    process.stdout.write(solc.compile(Buffer.concat(chunks).toString("utf8")));
  });
} else {
  process.stderr.write(`solc.cjs: only --version and --standard-json are served, got: ${args.join(" ")}\n`);
  process.exit(2);
}
