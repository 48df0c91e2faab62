/**
 * docker-compose.yml, read as Compose reads it (YAML with merge keys, `${VAR:-default}` filled in
 * with its defaults) and held to what it names: Redis with an append-only file on a volume; at
 * least two game processes, each built from this repository's Dockerfile and run by the image's
 * own command, each reachable on its own ports (published as they are inside, where
 * PUBLIC_ADDRESS and the kubectl box say they are); every environment variable one the server
 * reads (server/config.ts) with a value it accepts; every command one its image has.
 */
import { expect } from "chai";
import { existsSync, readFileSync } from "node:fs";
import { CORE_SCHEMA, load, mergeTag } from "js-yaml";
import { loadConfig, SERVER_VARIABLES } from "../../server/config.ts";

interface Service {
  image?: string;
  build?: string | { context: string; dockerfile?: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

/** Compose's variable interpolation with every variable unset: `${X:-default}` and `${X-default}` become the default, `$$` a dollar. */
function interpolate(value: string, where: string): string {
  return value.replace(/\$\$|\$\{(\w+)(?::?-([^}]*))?\}|\$(\w+)/g, (m, _name: string | undefined, fallback: string | undefined) => {
    if (m === "$$") return "$";
    if (fallback === undefined) throw new Error(`${where}: ${m} has no default: docker compose up would need it set`);
    return fallback;
  });
}

const file = "docker-compose.yml";
const compose = load(readFileSync(file, "utf8"), { schema: CORE_SCHEMA.withTags(mergeTag) }) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};
const services = Object.entries(compose.services);
const games = services.filter(([, s]) => s.build !== undefined);
const envOf = (name: string, s: Service) =>
  Object.fromEntries(Object.entries(s.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), `${name}.environment.${k}`)]));
/** host:container port pairs a service publishes. */
const published = (s: Service) => (s.ports ?? []).map((p) => String(p).split(":").map(Number));

/** Commands the Redis image has, and what each may be asked. */
const REDIS_COMMANDS: Record<string, RegExp> = { "redis-server": /^--appendonly yes$/, "redis-cli": /^ping$/ };

describe("docker-compose.yml", () => {
  it("runs Redis with an append-only file on a named volume, checked healthy before the game starts", () => {
    const [, redis] = services.find(([, s]) => s.image?.startsWith("redis:")) ?? [];
    expect(redis, "a service from the redis image").to.not.equal(undefined);
    expect(redis!.command?.join(" ")).to.match(/--appendonly yes/);
    const volume = redis!.volumes?.find((v) => v.endsWith(":/data"))?.split(":")[0];
    expect(Object.keys(compose.volumes ?? {}), "the volume holding /data, declared").to.include(volume);
    for (const [name, s] of [...services.filter(([, x]) => x === redis), ...games]) {
      for (const [command, ...args] of [s.command, s.healthcheck?.test.filter((w) => w !== "CMD")].filter((c) => c !== undefined)) {
        expect(REDIS_COMMANDS[command], `${name} runs ${command}`).to.not.equal(undefined);
        expect(args.join(" ")).to.match(REDIS_COMMANDS[command]);
      }
    }
  });

  it("runs at least two game processes from this repository's Dockerfile, with the image's own command", () => {
    expect(games.length).to.be.at.least(2);
    for (const [name, s] of games) {
      const context = typeof s.build === "string" ? s.build : s.build!.context;
      const dockerfile = typeof s.build === "string" ? "Dockerfile" : (s.build!.dockerfile ?? "Dockerfile");
      expect(existsSync(`${context}/${dockerfile}`), `${name}: ${context}/${dockerfile}`).to.equal(true);
      // No npm, no tsx: the image's CMD (node dist/server/index.js) runs it.
      expect(s.command, `${name}.command`).to.equal(undefined);
      expect(s.image, `${name}: one image for every game process`).to.equal(games[0][1].image);
      for (const [dependency, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect(compose.services[dependency], `${name} depends on ${dependency}`).to.not.equal(undefined);
        expect(condition).to.equal("service_healthy");
      }
    }
  });

  it("sets only variables the server reads (server/config.ts), each to a value it accepts", () => {
    const known = SERVER_VARIABLES.map((v) => v.name);
    for (const [name, s] of games) {
      const env = envOf(name, s);
      for (const key of Object.keys(env)) expect(known, `${name} sets ${key}`).to.include(key);
      expect(() => loadConfig(env), name).to.not.throw();
      const redis = new URL(env.REDIS_URL);
      expect(compose.services[redis.hostname], `${name}: REDIS_URL names the service ${redis.hostname}`).to.not.equal(undefined);
      expect(Object.keys(s.depends_on ?? {}), name).to.include(redis.hostname);
    }
  });

  it("makes each game process reachable on its own ports, published where PUBLIC_ADDRESS and the kubectl box say", () => {
    const seen = new Set<number>();
    for (const [name, s] of games) {
      const cfg = loadConfig(envOf(name, s));
      expect(cfg.publicAddress, `${name}: PUBLIC_ADDRESS`).to.be.a("string");
      expect(Number(cfg.publicAddress!.split(":")[1]), `${name}: PUBLIC_ADDRESS's port is PORT`).to.equal(cfg.port);
      for (const port of [cfg.port, cfg.apiPort]) {
        expect(published(s), `${name} publishes ${port} as ${port}`).to.deep.include([port, port]);
        expect(seen.has(port), `port ${port} published once`).to.equal(false);
        seen.add(port);
      }
    }
  });
});
