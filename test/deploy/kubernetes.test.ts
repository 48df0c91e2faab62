/**
 * deploy/kubernetes/: every object validated against Kubernetes' own schemas (kubernetes-models),
 * then held together the way a cluster would hold them — Services select the pods they mean and
 * name ports those pods have, each StatefulSet has its headless Service, the Ingress sends
 * crew.example.org to every process and each process's own host (its PUBLIC_ADDRESS, made from
 * the pod's name) to that pod alone — and to the game: every variable one server/config.ts reads,
 * with a value it accepts for every pod, the probes on routes the server serves, the image the
 * compose file builds, nobody running as root.
 */
import { expect } from "chai";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { CORE_SCHEMA, loadAll } from "js-yaml";
import { StatefulSet } from "kubernetes-models/apps/v1";
import { Ingress, NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import { Namespace, Service } from "kubernetes-models/v1";
import type { IContainer, IPodTemplateSpec } from "kubernetes-models/v1";
import { loadConfig, SERVER_VARIABLES } from "../../server/config.ts";

const DIR = "deploy/kubernetes";
/** The models of the kinds the manifests may hold, by apiVersion and kind: another kind must be added here first. */
const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  "v1/Namespace": Namespace,
  "v1/Service": Service,
  "apps/v1/StatefulSet": StatefulSet,
  "networking.k8s.io/v1/Ingress": Ingress,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
};

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec?: any;
  file: string;
}

const docs: Doc[] = readdirSync(DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .flatMap((f) =>
    (loadAll(readFileSync(path.join(DIR, f), "utf8"), { schema: CORE_SCHEMA }) as Omit<Doc, "file">[])
      .filter((d) => d !== null)
      .map((d) => ({ ...d, file: f })),
  );
const of = (kind: string) => docs.filter((d) => d.kind === kind);
const named = (kind: string, name: string) => of(kind).find((d) => d.metadata.name === name);
const statefulSet = (name: string) => named("StatefulSet", name)!;
const container = (set: Doc): IContainer => (set.spec.template as IPodTemplateSpec).spec!.containers[0];
const selects = (selector: Record<string, string>, labels: Record<string, string>) => Object.entries(selector).every(([k, v]) => labels[k] === v);
/** The labels pod `index` of a StatefulSet carries: its template's and the pod-name label the controller adds. */
const podLabels = (set: Doc, index: number) => ({
  ...set.spec.template.metadata.labels,
  "statefulset.kubernetes.io/pod-name": `${set.metadata.name}-${index}`,
});
const pods = (set: Doc) => Array.from({ length: set.spec.replicas ?? 1 }, (_, i) => ({ name: `${set.metadata.name}-${i}`, labels: podLabels(set, i), set }));
const allPods = () => of("StatefulSet").flatMap(pods);

/** The game container's environment for one pod: fieldRefs and $(VAR) references resolved as the kubelet does. */
function envFor(set: Doc, pod: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of container(set).env ?? []) {
    if (e.valueFrom?.fieldRef) env[e.name] = e.valueFrom.fieldRef.fieldPath === "metadata.name" ? pod : "";
    else if (e.valueFrom)
      continue; // a Secret's value: checked by name only
    else env[e.name] = (e.value ?? "").replace(/\$\((\w+)\)/g, (m, n: string) => env[n] ?? m);
  }
  return env;
}

describe("deploy/kubernetes", () => {
  it("holds only kinds the test knows, each valid against Kubernetes' schema", () => {
    expect(docs.length).to.be.greaterThan(0);
    for (const d of docs) {
      const Model = MODELS[`${d.apiVersion}/${d.kind}`];
      expect(Model, `${d.file}: ${d.apiVersion} ${d.kind}`).to.not.equal(undefined);
      const { file: _, ...object } = d;
      expect(() => new Model(object).validate(), `${d.file}: ${d.kind} ${d.metadata.name}`).to.not.throw();
    }
  });

  it("puts everything in the namespace it creates, one name per kind", () => {
    const [ns] = of("Namespace");
    for (const d of docs.filter((x) => x.kind !== "Namespace")) expect(d.metadata.namespace, `${d.kind} ${d.metadata.name}`).to.equal(ns.metadata.name);
    const keys = docs.map((d) => `${d.kind}/${d.metadata.name}`);
    expect(new Set(keys).size, keys.join(", ")).to.equal(keys.length);
  });

  it("has every Service select pods that exist, on ports those pods name", () => {
    for (const s of of("Service")) {
      const chosen = allPods().filter((p) => selects(s.spec.selector, p.labels));
      expect(chosen.length, `Service ${s.metadata.name} selects a pod`).to.be.greaterThan(0);
      for (const port of s.spec.ports) {
        for (const p of chosen) {
          const names = p.set.spec.template.spec.containers.flatMap((c: IContainer) => (c.ports ?? []).flatMap((x) => [x.name, x.containerPort]));
          expect(names, `Service ${s.metadata.name} port ${port.name} on ${p.name}`).to.include(port.targetPort ?? port.port);
        }
      }
    }
  });

  it("gives each StatefulSet a headless Service selecting its pods", () => {
    for (const set of of("StatefulSet")) {
      const svc = named("Service", set.spec.serviceName);
      expect(svc?.spec.clusterIP, `${set.metadata.name}'s serviceName ${set.spec.serviceName}`).to.equal("None");
      expect(selects(set.spec.selector.matchLabels, set.spec.template.metadata.labels), `${set.metadata.name}'s selector`).to.equal(true);
      for (const p of pods(set)) expect(selects(svc!.spec.selector, p.labels), p.name).to.equal(true);
    }
  });

  it("lets only the game's pods reach Redis", () => {
    const redisPods = pods(statefulSet("redis"));
    const policies = of("NetworkPolicy").filter((p) => redisPods.every((x) => selects(p.spec.podSelector.matchLabels, x.labels)));
    expect(policies.length, "a NetworkPolicy over the Redis pods").to.equal(1);
    const allowed = policies[0].spec.ingress.flatMap((r: any) => r.from.map((f: any) => f.podSelector.matchLabels));
    for (const p of allPods())
      expect(
        allowed.some((m: Record<string, string>) => selects(m, p.labels)),
        p.name,
      ).to.equal(p.set.metadata.name === "game");
  });

  it("keeps Redis' data in an append-only file on a persistent volume", () => {
    const redis = statefulSet("redis");
    expect(container(redis).command?.join(" ")).to.match(/^redis-server .*--appendonly yes/);
    const claim = redis.spec.volumeClaimTemplates[0].metadata.name;
    expect(container(redis).volumeMounts).to.deep.include({ name: claim, mountPath: "/data" });
  });

  it("sets only variables the server reads, each accepted for every pod, and a REDIS_URL that reaches Redis", () => {
    const game = statefulSet("game");
    const env = container(game).env ?? [];
    const referenced = env.flatMap((e) => [...(e.value ?? "").matchAll(/\$\((\w+)\)/g)].map((m) => m[1]));
    const known = SERVER_VARIABLES.map((v) => v.name);
    for (const e of env)
      expect(known.includes(e.name) || referenced.includes(e.name), `${e.name}: a server variable, or one another is made from`).to.equal(true);
    for (const { name } of pods(game)) {
      const cfg = loadConfig(envFor(game, name));
      const redis = new URL(cfg.redisUrl!);
      const svc = named("Service", redis.hostname);
      expect(svc, `REDIS_URL's host ${redis.hostname}`).to.not.equal(undefined);
      expect(svc!.spec.ports.map((p: { port: number }) => p.port)).to.include(Number(redis.port));
      expect(pods(statefulSet("redis")).some((p) => selects(svc!.spec.selector, p.labels))).to.equal(true);
      const ports = container(game).ports!.map((p) => p.containerPort);
      expect(ports, name).to.include.members([cfg.port, cfg.apiPort]);
    }
  });

  it("routes each pod's PUBLIC_ADDRESS through the Ingress, over TLS, to that pod alone", () => {
    const game = statefulSet("game");
    const [ingress] = of("Ingress");
    const tls = ingress.spec.tls.flatMap((t: { hosts: string[] }) => t.hosts);
    for (const { name, labels } of pods(game)) {
      const [host, port] = loadConfig(envFor(game, name)).publicAddress!.split(":");
      expect(port, `${name}: clients reach it over HTTPS`).to.equal("443");
      expect(tls, `${host} in the Ingress' TLS hosts`).to.include(host);
      const rule = ingress.spec.rules.find((r: { host: string }) => r.host === host);
      expect(rule, `an Ingress rule for ${host}`).to.not.equal(undefined);
      for (const p of rule.http.paths) {
        const svc = named("Service", p.backend.service.name);
        expect(svc, `${host} → Service ${p.backend.service.name}`).to.not.equal(undefined);
        expect(svc!.spec.ports.map((x: { name: string }) => x.name)).to.include(p.backend.service.port.name);
        const chosen = allPods().filter((x) => selects(svc!.spec.selector, x.labels));
        expect(
          chosen.map((x) => x.name),
          `${host} reaches ${name} alone`,
        ).to.deep.equal([name]);
        expect(selects(svc!.spec.selector, labels)).to.equal(true);
      }
    }
  });

  it("sends the site's own host (PUBLIC_URL) to every process, and keeps WebSockets and watches open for an hour", () => {
    const game = statefulSet("game");
    const [ingress] = of("Ingress");
    const site = new URL(loadConfig(envFor(game, "game-0")).publicUrl!);
    const rule = ingress.spec.rules.find((r: { host: string }) => r.host === site.hostname);
    expect(rule, `an Ingress rule for ${site.hostname}`).to.not.equal(undefined);
    const svc = named("Service", rule.http.paths[0].backend.service.name)!;
    expect(pods(game).every((p) => selects(svc.spec.selector, p.labels))).to.equal(true);
    const a = ingress.metadata.annotations ?? {};
    for (const key of ["proxy-read-timeout", "proxy-send-timeout"]) expect(Number(a[`nginx.ingress.kubernetes.io/${key}`]), key).to.be.at.least(3600);
  });

  it("probes readiness on /healthz and liveness on /livez (which asks nothing of Redis), routes the server serves", () => {
    const c = container(statefulSet("game"));
    expect(c.readinessProbe?.httpGet?.path).to.equal("/healthz");
    expect(c.livenessProbe?.httpGet?.path).to.equal("/livez");
    const app = readFileSync("server/app.ts", "utf8");
    for (const route of ["/healthz", "/livez"]) expect(app, route).to.include(`app.get("${route}"`);
  });

  it("runs the image docker-compose.yml builds, and nothing as root", () => {
    const compose = readFileSync("docker-compose.yml", "utf8");
    const image = /image: (cluster-crew:\S+)/.exec(compose)?.[1];
    expect(container(statefulSet("game")).image).to.equal(image);
    for (const set of of("StatefulSet")) {
      const pod = set.spec.template.spec;
      for (const c of pod.containers as IContainer[]) {
        const nonRoot = c.securityContext?.runAsNonRoot ?? pod.securityContext?.runAsNonRoot;
        expect(nonRoot, `${set.metadata.name}/${c.name} runAsNonRoot`).to.equal(true);
        expect(c.securityContext?.allowPrivilegeEscalation, `${set.metadata.name}/${c.name}`).to.equal(false);
      }
    }
  });
});
