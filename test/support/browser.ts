/**
 * A real headless browser for page tests: Debian's chromium driven by playwright-core, on a profile
 * nothing has used, with every request to anything but loopback blocked and recorded, and every
 * request, script error and console error of the pages it opens collected for the test to check.
 */
import { type BrowserContext, chromium, type Page } from "playwright-core";

/** Debian's chromium package; scripts/ensure-system-deps.sh installs it before `bun test`. */
const CHROMIUM = "/usr/bin/chromium";
export const LOOPBACK = new Set(["127.0.0.1", "localhost"]);

export function launchBrowser(profileDir: string, viewport?: { width: number; height: number }) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    args: [
      // Chromium's sandbox cannot start as root (the test machine's case); it guards against hostile
      // pages, and these pages are our own.
      ...(process.getuid?.() === 0 ? ["--no-sandbox"] : []),
      "--headless",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    ...(viewport ? { viewport } : {}),
  });
}

export interface WatchedPage {
  page: Page;
  /** Requests to anything but loopback, refused before they left. */
  blocked: string[];
  /** Every URL the browser asked for. */
  requested: string[];
  /** Script errors and console errors, but those `expected` accepts. */
  problems: string[];
}

export async function openWatchedPage(
  browser: BrowserContext,
  expected: (consoleError: string) => boolean = () => false,
): Promise<WatchedPage> {
  const watched: Omit<WatchedPage, "page"> = { blocked: [], requested: [], problems: [] };
  await browser.route("**/*", (route) => {
    const target = new URL(route.request().url());
    if (LOOPBACK.has(target.hostname)) return route.continue();
    watched.blocked.push(target.href);
    return route.abort("blockedbyclient");
  });
  browser.on("request", (request) => {
    watched.requested.push(request.url());
  });
  const page = await browser.newPage();
  page.on("console", (message) => {
    if (message.type() === "error" && !expected(message.text())) watched.problems.push(message.text());
  });
  page.on("pageerror", (error) => {
    watched.problems.push(error.message);
  });
  return { page, ...watched };
}
