/** Vite builds the browser client into client/dist, which the game server serves. */
import { defineConfig } from "vite";

const server = process.env.GAME_SERVER ?? "http://localhost:2567";

export default defineConfig({
  root: import.meta.dirname,
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Phaser alone is ~1.5 MB: one chunk is expected.
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      // The game, and the map benchmark page that npm run bench:client measures.
      input: { main: `${import.meta.dirname}/index.html`, bench: `${import.meta.dirname}/bench/index.html` },
    },
  },
  server: {
    // `npm run dev:client`: hot reload, with the game server (npm run server) behind a proxy.
    proxy: {
      "/api": server,
      "/healthz": server,
      "/k8s": server,
      "/matchmake": server,
      "^/[A-Za-z0-9_-]{6,}/[A-Za-z0-9_-]{6,}": { target: server.replace(/^http/, "ws"), ws: true },
    },
  },
});
