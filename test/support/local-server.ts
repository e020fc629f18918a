import { type ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");

/**
 * Starts `node scripts/run.mjs <args>` from the project root (`npm start`, `npm run
 * start:<runtime>`) and resolves once its banner is out ("Try:"). Everything it prints, then and
 * later, goes to `onOutput`. Detached: stop it with its process group (a runtime it started too).
 */
export async function startLocalServer(
  args: string[],
  env: NodeJS.ProcessEnv,
  onOutput: (chunk: string) => void,
): Promise<ChildProcess> {
  const server = spawn(process.execPath, ["scripts/run.mjs", ...args], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  const collect = (chunk: Buffer) => {
    output += chunk;
    onOutput(String(chunk));
  };
  server.stdout.on("data", collect);
  server.stderr.on("data", collect);
  await new Promise<void>((resolve, reject) => {
    server.stdout.on("data", () => output.includes("Try:") && resolve());
    server.on("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}: ${output}`)));
  });
  return server;
}
