import { readFileSync } from 'node:fs';

/**
 * What a process holds in memory, as the kernel counts it (/proc/<pid>/status): the resident set
 * now (VmRSS) and its peak over the process's life (VmHWM), in KiB. Linux only, as the benches.
 */
export interface Memory {
  rssKiB: number;
  hwmKiB: number;
  /** Of the resident set: anonymous memory (the JS heap, malloc, SQLite's page cache) and file-backed pages (code). */
  anonKiB: number;
  fileKiB: number;
}

export function memoryOf(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status);
    if (!match) throw new Error(`no ${name} in /proc/${pid}/status`);
    return Number(match[1]);
  };
  return { rssKiB: field('VmRSS'), hwmKiB: field('VmHWM'), anonKiB: field('RssAnon'), fileKiB: field('RssFile') };
}

export interface MemorySampler {
  /** Stops sampling: the sample with the highest VmRSS, how many samples, and the process's VmHWM now. */
  stop(): { peak: Memory; samples: number; hwmKiB: number };
}

/**
 * Samples a process's VmRSS every `everyMs` from this process's event loop (a read of /proc, some
 * tens of microseconds). A peak between two samples is missed by `peak` but not by VmHWM.
 */
export function sampleMemory(pid: number, everyMs = 10): MemorySampler {
  let peak = memoryOf(pid);
  let samples = 1;
  const sample = () => {
    const now = memoryOf(pid);
    if (now.rssKiB > peak.rssKiB) peak = now;
    samples++;
    return now;
  };
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return { peak, samples, hwmKiB: sample().hwmKiB };
    },
  };
}

export const mib = (kib: number): string => (kib / 1024).toFixed(0);
