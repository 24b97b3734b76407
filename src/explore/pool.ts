import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { InputError } from './errors.js';
import type { WorkerReply, WorkerRequest } from './worker.js';

type Body<K extends WorkerRequest['kind']> = Omit<Extract<WorkerRequest, { kind: K }>, 'id'>;
type Reply<K extends WorkerRequest['kind']> = Extract<WorkerReply, { kind: K }>;

/**
 * Where the compiled worker lives. Workers need JavaScript: from dist/ it sits next to this
 * file; when this module runs from src/ (vitest, tsx) the build's copy is used instead.
 */
export function workerUrl(): URL {
  const here = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(here))) return here;
  const built = new URL('../../dist/explore/worker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return built;
  throw new Error('worker threads need the compiled worker (dist/explore/worker.js): run `npm run build` first');
}

/**
 * One worker thread that answers one request at a time. Progress messages go to the
 * request's callback; a crash of the thread rejects whatever it was doing.
 */
export class SimWorker {
  private readonly worker: Worker;
  private nextId = 1;
  private pending: { id: number; resolve: (r: WorkerReply) => void; reject: (e: Error) => void; onProgress?: (runs: number, failures: number) => void } | null = null;
  private dead: Error | null = null;

  constructor() {
    this.worker = new Worker(workerUrl());
    this.worker.on('message', (r: WorkerReply) => {
      const p = this.pending;
      if (!p || r.id !== p.id) return;
      if (r.kind === 'progress') {
        p.onProgress?.(r.runs, r.failures);
        return;
      }
      this.pending = null;
      if (r.kind === 'error') p.reject(r.code ? new InputError(r.message, r.code) : new Error(r.message));
      else p.resolve(r);
    });
    this.worker.on('error', (e) => this.fail(e instanceof Error ? e : new Error(String(e))));
    this.worker.on('exit', (code) => this.fail(new Error(`worker thread exited (code ${code})`)));
  }

  private fail(e: Error): void {
    this.dead ??= e;
    const p = this.pending;
    this.pending = null;
    p?.reject(e);
  }

  request<K extends WorkerRequest['kind']>(body: Body<K>, onProgress?: (runs: number, failures: number) => void): Promise<Reply<K>> {
    if (this.dead) return Promise.reject(this.dead);
    if (this.pending) return Promise.reject(new Error('SimWorker is busy: one request at a time'));
    const id = this.nextId++;
    return new Promise<Reply<K>>((resolve, reject) => {
      this.pending = { id, resolve: resolve as (r: WorkerReply) => void, reject, onProgress };
      this.worker.postMessage({ ...body, id });
    });
  }

  async terminate(): Promise<void> {
    this.dead ??= new Error('worker terminated');
    await this.worker.terminate();
  }
}

/** Runs `body` in a worker started for it alone, then stops the worker. */
export async function inFreshWorker<K extends WorkerRequest['kind']>(body: Body<K>): Promise<Reply<K>> {
  const w = new SimWorker();
  try {
    return await w.request(body);
  } finally {
    await w.terminate();
  }
}
