// Library build of entry.js into one self-contained ES module (Vue, ODK Web Forms, its CSS and
// fonts inlined); no chunk loaded later, so the page works from the cache when offline.
import { defineConfig } from "vite";

export default defineConfig({
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  build: {
    outDir: process.env.OUT_DIR,
    emptyOutDir: true,
    minify: true,
    sourcemap: false,
    lib: {
      entry: "entry.js",
      name: "DemineOdkWebForms",
      formats: ["es"],
      fileName: () => "odk-web-forms.js",
    },
    rollupOptions: {
      output: {
        // The package's chunks without its hash (index, MapBlock): the page and its
        // service worker name them.
        chunkFileNames: (chunk) => `odk-web-forms-${chunk.name.replace(/-[\w-]{8}$/, "")}.js`,
      },
    },
  },
});
