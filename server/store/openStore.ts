/** Chooses the store: Redis when REDIS_URL is set (failing fast, in one line, if it cannot be reached), else in-process. */
import type { ClusterStore } from "./ClusterStore.ts";
import { MemoryStore } from "./MemoryStore.ts";
import { RedisStore } from "./RedisStore.ts";

export async function openStore(url: string | undefined = process.env.REDIS_URL): Promise<ClusterStore> {
  if (!url) return new MemoryStore();
  return RedisStore.connect({ url });
}
