/**
 * electron-vite's layout: main (Node, ESM), preload (sandboxed, so one CommonJS file `index.cjs`),
 * renderer (React, served from `app://desk/` in Electron or by the browser host). The workspace
 * packages are bundled (they are TypeScript sources); npm dependencies of main stay external.
 */
import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "electron-vite";

export default defineConfig({
  main: {
    build: { rolldownOptions: { input: resolve(import.meta.dirname, "src/main/index.ts") } },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rolldownOptions: {
        input: resolve(import.meta.dirname, "src/preload/index.ts"),
        output: { format: "cjs", entryFileNames: "[name].cjs" },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, "src/renderer"),
    plugins: [react()],
    build: {
      outDir: resolve(import.meta.dirname, "out/renderer"),
      rolldownOptions: { input: resolve(import.meta.dirname, "src/renderer/index.html") },
      // Inline assets would need a CSP exception; keep every asset a file.
      assetsInlineLimit: 0,
      minify: true,
    },
  },
});
