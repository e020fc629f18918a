import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { inflateRawSync } from "node:zlib";
import { waitForPort } from "../../dev/wait-for-port.ts";

const run = promisify(execFile);

/**
 * The project root: the nearest directory above this module that holds tools/platforms (found, not
 * assumed, so that it holds when bench/run.ts runs this module bundled into .cache/).
 */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "tools/platforms/package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no project root above ${import.meta.url}`);
    dir = parent;
  }
  return dir;
}

export const ROOT = projectRoot();
const TOOLS = join(ROOT, "tools/platforms");

/**
 * The committed size budget (bench/budgets.json) of an `npm run build` file, such as
 * dist/lambda/payments.mjs: a deployed bundle is held to the budget of the file it must equal.
 */
export async function budgetOf(distFile: string): Promise<number> {
  const budgets = JSON.parse(await readFile(join(ROOT, "bench/budgets.json"), "utf8")) as Record<string, number>;
  const budget = budgets[distFile];
  if (budget === undefined) throw new Error(`bench/budgets.json has no budget for ${distFile}`);
  return budget;
}

/** A platform CLI from the pinned tools manifest (installed by `npm run test:platforms`). */
export const toolBin = (name: string) => join(TOOLS, "node_modules/.bin", name);

/** `require` for the tools manifest's libraries; they are untyped here on purpose (kept out of the root tree). */
export const requireTool = createRequire(join(TOOLS, "package.json"));

/**
 * The only environment the CLIs get: no inherited tokens or cloud credentials, a throw-away HOME
 * (no saved login, no global config), and every telemetry, update check and prompt switched off.
 */
function cliEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: home,
    CI: "true",
    VERCEL_TELEMETRY_DISABLED: "1",
    NETLIFY_TELEMETRY_DISABLED: "1",
    SLS_TELEMETRY_DISABLED: "1",
    SLS_NOTIFICATIONS_MODE: "off",
    NO_UPDATE_NOTIFIER: "1",
    npm_config_offline: "true",
    npm_config_update_notifier: "false",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    ...extra,
  };
}

export interface ProjectCopy {
  dir: string;
  /** A HOME for the CLIs, outside the copy. */
  home: string;
  /** Runs a CLI in the copy; resolves with its stdout and stderr together, rejects on a non-zero exit. */
  exec(file: string, args: string[], env?: Record<string, string>): Promise<string>;
  remove(): Promise<void>;
}

/**
 * A throw-away copy of the project as git would ship it (tracked and unignored files, minus the
 * tools), with node_modules hard-linked in: each platform builds in its own copy, so no output
 * (.vercel/, .netlify/, .serverless/) lands in the work tree and the files can run in parallel.
 */
export async function copyProject(): Promise<ProjectCopy> {
  const base = await mkdtemp(join(tmpdir(), "datafast-platform-"));
  const dir = join(base, "project");
  const home = join(base, "home");
  await mkdir(home, { recursive: true });
  const { stdout } = await run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT });
  const files = stdout.split("\0").filter((file) => file && !file.startsWith("tools/"));
  for (const file of files) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    // A tracked file deleted in the work tree is simply left out.
    await writeFile(join(dir, file), await readFile(join(ROOT, file)).catch(() => ""));
  }
  await run("cp", ["-al", join(ROOT, "node_modules"), join(dir, "node_modules")]);
  return {
    dir,
    home,
    async exec(file, args, env = {}) {
      const { stdout, stderr } = await run(file, args, {
        cwd: dir,
        env: cliEnv(home, env),
        maxBuffer: 64 * 1024 * 1024,
        timeout: 180_000,
      });
      return `${stdout}\n${stderr}`;
    },
    remove: () => rm(base, { recursive: true, force: true }),
  };
}

export interface Served {
  url: string;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts a long-running CLI server and waits until `port` accepts connections. */
export async function serve(
  copy: ProjectCopy,
  file: string,
  args: string[],
  port: number,
  env: Record<string, string>,
): Promise<Served> {
  const child = spawn(file, args, { cwd: copy.dir, env: cliEnv(copy.home, env), detached: true });
  let output = "";
  child.stdout.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr.on("data", (chunk) => {
    output += chunk;
  });
  const stop = () => stopProcessGroup(child);
  try {
    await waitForPort(port, child, () => output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `http://127.0.0.1:${port}`, output: () => output, stop };
}

/** Stops the server we started and the workers it spawned (its own process group). */
export async function stopProcessGroup(child: ChildProcess) {
  if (child.pid === undefined || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-child.pid, "SIGTERM");
  await exited;
}

/** The files of a zip archive (stored or deflated entries), by name. */
export async function readZip(file: string): Promise<Map<string, Buffer>> {
  const zip = await readFile(file);
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0) throw new Error(`${file} is not a zip archive`);
  const entries = new Map<string, Buffer>();
  let offset = zip.readUInt32LE(end + 16);
  for (let index = 0; index < zip.readUInt16LE(end + 10); index += 1) {
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const headerLength = 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
    const name = zip.toString("utf8", offset + 46, offset + 46 + nameLength);
    const local = zip.readUInt32LE(offset + 42);
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(dataStart, dataStart + compressedSize);
    if (!name.endsWith("/")) entries.set(name, method === 8 ? inflateRawSync(data) : data);
    offset += headerLength;
  }
  return entries;
}

/** Sends `request` (a test/support/payments.ts request) to the same path on a local server. */
export async function forward(request: Request, origin: string): Promise<Response> {
  const { pathname, search } = new URL(request.url);
  const body = request.body ? await request.arrayBuffer() : undefined;
  return fetch(`${origin}${pathname}${search}`, {
    method: request.method,
    headers: request.headers,
    ...(body && { body }),
  });
}
