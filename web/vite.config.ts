import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
/** Where `npm run dev:web` sends API and sign-in calls: the gateway of a running stack. */
const gatewayUrl = process.env['PORTAL_GATEWAY_URL'] ?? 'http://localhost:8080';

/** The dev server answers every path of an app with its page, as the gateway does (the router takes it from there). */
function appPages(): Plugin {
  return {
    name: 'portal-app-pages',
    configureServer(server) {
      server.middlewares.use((request, _response, next) => {
        const app = /^\/(admin|portal)(\/[^.?]*)?(\?.*)?$/.exec(request.url ?? '')?.[1];
        if (app) request.url = `/${app}/index.html`;
        next();
      });
    },
  };
}

// Two entries, one build: `/admin` (staff) and `/portal` (contacts) share their chunks under
// `/assets/`, whose hashed names the gateway serves with a year-long cache.
export default defineConfig({
  root,
  base: '/',
  plugins: [react(), appPages()],
  build: {
    outDir: 'dist',
    // One shared chunk (React, Mantine, zod and the contracts) is expected; its size is reported in tests/load.
    chunkSizeWarningLimit: 1200,
    emptyOutDir: true,
    assetsDir: 'assets',
    rollupOptions: {
      input: { admin: `${root}admin/index.html`, portal: `${root}portal/index.html` },
      // The chunk both apps load (React, Mantine, zod, the contracts, the shared part) is named for
      // what it is, not for whichever module the bundler happened to name it after.
      output: { chunkFileNames: 'assets/shared-[hash].js', assetFileNames: 'assets/shared-[hash][extname]' },
    },
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': gatewayUrl,
      '/auth': gatewayUrl,
    },
  },
});
