import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root: the first folder above this file holding the Maven reactor's pom.xml. */
export const REPO = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "pom.xml")) || !existsSync(join(dir, "clients"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("not inside the repository");
    dir = up;
  }
  return dir;
})();

/** A known-answer file produced by an independent implementation (reactive-core/vectors). */
export function vectors<T>(name: string): T {
  return JSON.parse(readFileSync(join(REPO, "reactive-core/src/test/resources/vectors", name), "utf8")) as T;
}
