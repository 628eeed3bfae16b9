import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { freePort } from '../test/helpers/free-port.ts';

export { freePort };

/** A server the bench started in a process of its own, so that it has its own memory and event loop. */
export class ChildServer {
  readonly name: string;
  readonly url: string;
  readonly #child: ChildProcess;
  #output = '';

  private constructor(name: string, url: string, child: ChildProcess) {
    this.name = name;
    this.url = url;
    this.#child = child;
    child.stdout?.on('data', (chunk: Buffer) => this.#remember(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.#remember(chunk));
  }

  /** Starts `node <script>` and waits until `readyPath` answers 2xx. */
  static async start(
    name: string,
    script: string,
    options: { env: Record<string, string>; port: number; readyPath: string; nodeArgs?: string[] },
  ): Promise<ChildServer> {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script], {
      env: { ...process.env, ...options.env, PORT: String(options.port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ChildServer(name, `http://127.0.0.1:${options.port}`, child);
    await server.#waitUntilReady(() => fetch(`${server.url}${options.readyPath}`).then((r) => r.ok));
    return server;
  }

  /** Starts `node <script>`, a process without HTTP (the job worker), and waits until it logs `readyLine`. */
  static async startWorker(
    name: string,
    script: string,
    options: { env: Record<string, string>; readyLine: string; nodeArgs?: string[] },
  ): Promise<ChildServer> {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), script], {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const worker = new ChildServer(name, '', child);
    await worker.#waitUntilReady(async () => worker.#output.includes(options.readyLine));
    return worker;
  }

  get pid(): number {
    return this.#child.pid!;
  }

  /** Peak resident memory so far (VmHWM), in MiB; Linux only. */
  async peakRssMiB(): Promise<number | undefined> {
    const status = await readFile(`/proc/${this.pid}/status`, 'utf8').catch(() => '');
    const kib = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
    return kib === undefined ? undefined : Math.round(Number(kib) / 1024);
  }

  /** SIGTERM (SIGKILL after 15 s); the exit code, null when killed by a signal. */
  async stop(): Promise<number | null> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) {
      return this.#child.exitCode;
    }
    const exited = new Promise<number | null>((resolve) => this.#child.once('exit', resolve));
    this.#child.kill('SIGTERM');
    const timeout = setTimeout(() => this.#child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(timeout);
    return code;
  }

  /** The last lines the server wrote, for error messages. */
  get output(): string {
    return this.#output;
  }

  #remember(chunk: Buffer): void {
    this.#output = (this.#output + chunk.toString()).slice(-4000);
  }

  async #waitUntilReady(ready: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.#child.exitCode !== null) {
        break;
      }
      if (await ready().catch(() => false)) {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    await this.stop();
    throw new Error(`${this.name} did not start:\n${this.#output}`);
  }
}
