import { BUILT_CLIENT } from '../helpers/built-client';
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';

/** The built client (vite output). */
export const DIST = `${BUILT_CLIENT}/`;

/** The .js files a built chunk imports statically (import/export ... from). */
function staticImports(code: string): string[] {
  return [...code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.js)["']/g)].map((m) => m[1]!);
}

/**
 * Every JS and CSS file vote.html (or another `page`) loads before the voter sees anything: its
 * module script, modulepreload links and stylesheets, and the chunks those scripts import
 * statically (shared chunks included). Dynamic imports (the lazy zod check, workbox-window) are not initial.
 */
export function voterInitialAssets(dist = DIST, page = 'vote.html'): { js: string[]; css: string[] } {
  const html = readFileSync(`${dist}${page}`, 'utf8');
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
    for (const ref of staticImports(readFileSync(dist + file, 'utf8'))) {
      const dep = posix.join(posix.dirname(file), ref);
      if (!js.has(dep)) {
        js.add(dep);
        queue.push(dep);
      }
    }
  }
  return { js: [...js], css: [...css] };
}

/**
 * The JS files the voter page loads only later: the chunks its scripts import dynamically
 * (`import('./lazy-….js')`), and what those import in turn, less what is initial.
 */
export function voterLazyAssets(dist = DIST): string[] {
  const initial = new Set(voterInitialAssets(dist).js);
  const lazy = new Set<string>();
  const queue = [...initial];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const file = queue.pop()!;
    const code = readFileSync(dist + file, 'utf8');
    const dynamic = [...code.matchAll(/\bimport\(\s*["'`]([^"'`]+\.js)["'`]\s*\)/g)].map((m) => m[1]!);
    for (const ref of [...dynamic, ...staticImports(code)]) {
      const dep = posix.join(posix.dirname(file), ref);
      if (seen.has(dep)) continue;
      seen.add(dep);
      if (!initial.has(dep)) lazy.add(dep);
      queue.push(dep);
    }
  }
  return [...lazy];
}

/** The service worker's precache manifest (injected by vite-plugin-pwa's injectManifest). */
export function precacheEntries(dist = DIST): { url: string; revision: string | null }[] {
  const sw = readFileSync(`${dist}sw.js`, 'utf8');
  return [...sw.matchAll(/\{"revision":(null|"[0-9a-f]+"),"url":"([^"]+)"\}/g)].map((m) => ({ url: m[2]!, revision: m[1] === 'null' ? null : m[1]!.slice(1, -1) }));
}

/** The URLs in the service worker's precache manifest. */
export function precacheUrls(dist = DIST): string[] {
  const sw = readFileSync(`${dist}sw.js`, 'utf8');
  return [...sw.matchAll(/"url":"([^"]+)"/g)].map((m) => m[1]!);
}
