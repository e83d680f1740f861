import "@testing-library/jest-dom/vitest";

// Mantine reads these browser APIs that jsdom lacks.
window.matchMedia ??= ((query: string) => ({
  matches: false,
  media: query,
  onchange: null,
  addListener: () => {},
  removeListener: () => {},
  addEventListener: () => {},
  removeEventListener: () => {},
  dispatchEvent: () => false,
})) as typeof window.matchMedia;
globalThis.ResizeObserver ??= class {
  observe() {}
  unobserve() {}
  disconnect() {}
} as never;

// Unmount what each test rendered (automatic only with vitest globals, which we do not use).
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";
afterEach(cleanup);
