// Built assets go to web/dist (git-ignored); the service serves them at /app.
// base './' keeps every asset URL relative, so the page works under any mount path.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    sourcemap: false,
  },
  server: {
    // `npm run dev` proxies the API to a service started with `python main.py serve`.
    proxy: { '/graphql': 'http://127.0.0.1:8000' },
  },
});
