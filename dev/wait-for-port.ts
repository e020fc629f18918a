import type { ChildProcess } from "node:child_process";
import { connect } from "node:net";

/** Waits until a server `child` starts accepts connections on loopback `port`; fails if it exits first. */
export async function waitForPort(port: number, child: ChildProcess, output: () => string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms:\n${output()}`);
}
