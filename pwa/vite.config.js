import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// The sample import files the server's side keeps in docs/samples, served with the build at /samples/ so the
// import screens can offer them (the server does not serve docs/); the screens list only those that exist.
const SAMPLES_DIR = fileURLToPath(new URL('../docs/samples', import.meta.url));
const SAMPLES = existsSync(SAMPLES_DIR) ? readdirSync(SAMPLES_DIR).filter((name) => /\.(csv|xlsx)$/.test(name)).sort() : [];

function importSamples() {
  return {
    name: 'closeloop-import-samples',
    apply: 'build',
    generateBundle() {
      for (const name of SAMPLES) this.emitFile({ type: 'asset', fileName: `samples/${name}`, source: readFileSync(join(SAMPLES_DIR, name)) });
    },
  };
}

export default defineConfig({
  build: {
    target: 'es2020',
    sourcemap: false,
    reportCompressedSize: false,
  },
  worker: { format: 'es' },
  define: { __IMPORT_SAMPLES__: JSON.stringify(SAMPLES) },
  server: { proxy: { '/api': 'http://127.0.0.1:5055' } },
  plugins: [
    importSamples(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.js',
      injectRegister: false,
      includeManifestIcons: false, // already matched by globPatterns // src/lib/sw-register.js does it, with the update prompt
      manifestFilename: 'manifest.webmanifest',
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,ico,png}'], // the plugin adds the manifest itself
        globIgnores: ['sw.js'],
        rollupFormat: 'iife', // a classic worker script: no module-worker support needed
      },
      manifest: {
        id: '/',
        name: '隐患闭环',
        short_name: 'Closeloop',
        description: '安全隐患排查、整改、验收销号（离线可用）',
        lang: 'zh-CN',
        dir: 'ltr',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: '#0b3d91',
        background_color: '#ffffff',
        categories: ['productivity', 'utilities'],
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
    }),
  ],
  test: {
    include: ['test/**/*.test.js'],
    environment: 'node',
  },
});
