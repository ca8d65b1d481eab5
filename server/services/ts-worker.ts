import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running one of the server's TypeScript modules. The server runs from
 * TypeScript under tsx (`npm start`, tests), and on Node 20 a worker does not take tsx from
 * `--import` in its execArgv: the worker starts from a line of JavaScript that loads tsx's API
 * and imports the module through it.
 */
export function tsWorker(module: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => tsx.tsImport(${JSON.stringify(module.href)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(boot, { ...options, eval: true });
}
