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

// The desk's screens (dashboard, table, map) and what only they use (ECharts, Leaflet) are built into assets/desk/
// and kept out of the precached shell: a phone never needs them, and they are large (ECharts alone ~180 KB gz).
// The server caches assets/ for a year (immutable), so a desk fetches each only once per version anyway.
const DESK_MODULE = /\/src\/views\/desk\/(?!(Cards|SideNav|load|fetched)\.js)|\/src\/lib\/desk-(?!(filters|nav|stats)\.js)|\/src\/i18n\/(desk|map)[.\w-]*\.js|\/node_modules\/(echarts|zrender|tslib|leaflet[\w.-]*|gcoord)\//;
// a desk screen's own chunk (whatever else it took in), or a chunk shared by desk screens only
const isDeskChunk = (chunk) => (chunk.facadeModuleId && DESK_MODULE.test(chunk.facadeModuleId))
  || ((chunk.moduleIds || []).length > 0 && chunk.moduleIds.every((id) => DESK_MODULE.test(id)));
const isDeskAsset = (asset) => (asset.originalFileNames || []).some((name) => DESK_MODULE.test(`/${name}`))
  || (asset.names || []).some((name) => /^(Map|Dashboard|Table)\.css$/.test(name));

export default defineConfig({
  build: {
    target: 'es2020',
    sourcemap: false,
    reportCompressedSize: false,
    rolldownOptions: {
      output: {
        chunkFileNames: (chunk) => (isDeskChunk(chunk) ? 'assets/desk/[name]-[hash].js' : 'assets/[name]-[hash].js'),
        assetFileNames: (asset) => (isDeskAsset(asset) ? 'assets/desk/[name]-[hash][extname]' : 'assets/[name]-[hash][extname]'),
      },
    },
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
        globIgnores: ['sw.js', 'assets/desk/**'], // the desk's chunks: see DESK_MODULE
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
