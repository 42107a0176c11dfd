import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
/** Where `npm run dev:web` sends API and sign-in calls: the gateway of a running stack. */
const gatewayUrl = process.env['PORTAL_GATEWAY_URL'] ?? 'http://localhost:8080';

// Two entries, one build: `/admin` (staff) and `/portal` (contacts) share their chunks under
// `/assets/`, whose hashed names the gateway serves with a year-long cache.
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    // One shared chunk (React, Mantine, zod and the contracts) is expected; its size is reported in tests/load.
    chunkSizeWarningLimit: 1200,
    emptyOutDir: true,
    assetsDir: 'assets',
    rollupOptions: {
      input: { admin: `${root}admin/index.html`, portal: `${root}portal/index.html` },
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
