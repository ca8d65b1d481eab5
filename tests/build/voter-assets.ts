import { readFileSync } from 'node:fs';
import { posix } from 'node:path';

/** The built client (vite output). */
export const DIST = new URL('../../dist/client/', import.meta.url).pathname;

/**
 * Every JS and CSS file vote.html loads before the voter sees anything: its module script,
 * modulepreload links and stylesheets, and the chunks those scripts import statically
 * (shared chunks included). Dynamic imports (the lazy zod check, workbox-window) are not initial.
 */
export function voterInitialAssets(dist = DIST): { js: string[]; css: string[] } {
  const html = readFileSync(`${dist}vote.html`, 'utf8');
  const attr = (tag: string, name: string) => new RegExp(`\\b${name}="([^"]+)"`).exec(tag)?.[1];
  const js = new Set<string>();
  const css = new Set<string>();
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/g)) {
    if (tag.startsWith('<script')) {
      const src = attr(tag, 'src');
      if (src) js.add(src.replace(/^\//, ''));
    } else {
      const rel = attr(tag, 'rel');
      const href = attr(tag, 'href');
      if (!href) continue;
      if (rel === 'stylesheet') css.add(href.replace(/^\//, ''));
      if (rel === 'modulepreload') js.add(href.replace(/^\//, ''));
    }
  }
  const queue = [...js];
  while (queue.length > 0) {
    const file = queue.pop()!;
    const code = readFileSync(dist + file, 'utf8');
    for (const m of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.js)["']/g)) {
      const dep = posix.join(posix.dirname(file), m[1]!);
      if (!js.has(dep)) {
        js.add(dep);
        queue.push(dep);
      }
    }
  }
  return { js: [...js], css: [...css] };
}

/** The URLs in the service worker's precache manifest (injected by vite-plugin-pwa's injectManifest). */
export function precacheUrls(dist = DIST): string[] {
  const sw = readFileSync(`${dist}sw.js`, 'utf8');
  return [...sw.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]!);
}
