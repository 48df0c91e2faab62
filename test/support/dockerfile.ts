/**
 * The Dockerfile's own steps, run here without a container engine: each stage gets a folder as
 * its root file system, and FROM, WORKDIR, ENV, COPY (from the build context, minus what
 * .dockerignore leaves out, or --from an earlier stage), RUN (in `sh -c`, in the stage's working
 * directory, with its ENV) are carried out the way Docker carries them out; USER, EXPOSE,
 * HEALTHCHECK and CMD are recorded for the test to check and run. An instruction it does not know
 * fails the build rather than being skipped, so the Dockerfile cannot grow a step the test ignores.
 * The base image is this machine's node, not the image's (the test says which).
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export interface Instruction {
  op: string;
  args: string;
  /** The line it starts on, for messages. */
  line: number;
}

export interface Stage {
  name?: string;
  image: string;
  instructions: Instruction[];
}

/** What a built stage holds, for the test to check and run. */
export interface BuiltStage {
  name?: string;
  image: string;
  /** The stage's root file system here. */
  root: string;
  /** The working directory inside the stage, e.g. /app. */
  workdir: string;
  env: Record<string, string>;
  user?: string;
  expose: number[];
  /** The exec form of CMD and of HEALTHCHECK CMD (shell forms are refused: signals reach sh, not node). */
  cmd?: string[];
  healthcheck?: string[];
}

/** The stages of a Dockerfile: comments and parser directives dropped, continuation lines joined. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i].trim();
    if (line === "" || line.startsWith("#")) continue;
    while (line.endsWith("\\") && i + 1 < lines.length) line = `${line.slice(0, -1).trim()} ${lines[++i].trim()}`;
    const [, op, args] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    if (!op) throw new Error(`Dockerfile line ${start + 1}: cannot read "${line}"`);
    const instruction = { op: op.toUpperCase(), args: args.trim(), line: start + 1 };
    if (instruction.op === "FROM") {
      const [, image, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args) ?? [];
      if (!image) throw new Error(`Dockerfile line ${start + 1}: FROM ${instruction.args}`);
      stages.push({ image, name, instructions: [] });
    } else if (stages.length === 0) throw new Error(`Dockerfile line ${start + 1}: ${op} before any FROM`);
    else stages[stages.length - 1].instructions.push(instruction);
  }
  return stages;
}

/** `KEY=value KEY2="two words"` (ENV's form); the legacy `ENV KEY value` too. */
export function parseEnv(args: string): Record<string, string> {
  if (!/^[A-Za-z_][\w]*=/.test(args)) {
    const [key, ...rest] = args.split(/\s+/);
    return { [key]: rest.join(" ") };
  }
  const env: Record<string, string> = {};
  for (const m of args.matchAll(/([A-Za-z_]\w*)=("(?:[^"\\]|\\.)*"|\S*)/g)) env[m[1]] = m[2].startsWith('"') ? (JSON.parse(m[2]) as string) : m[2];
  return env;
}

function execForm(args: string, where: string): string[] {
  const form = args.startsWith("[") ? (JSON.parse(args) as unknown) : undefined;
  if (!Array.isArray(form) || form.length === 0 || !form.every((a) => typeof a === "string"))
    throw new Error(`${where} must use the exec form (["node", …]) so signals reach node: ${args}`);
  return form;
}

/** A .dockerignore pattern as a regular expression over a path relative to the context (Go's filepath.Match, plus **). */
function ignoreRegex(pattern: string): RegExp {
  const p = path.posix.normalize(pattern.replace(/^\.?\//, "")).replace(/\/$/, "");
  let re = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === "*" && p[i + 1] === "*") {
      re += ".*";
      i++;
      if (p[i + 1] === "/") i++;
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else re += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** Whether .dockerignore's patterns leave a context path out: a pattern matching it or a folder above it; the last match wins (! keeps). */
export function ignoredBy(patterns: readonly string[], file: string): boolean {
  const parts = file.split("/");
  const candidates = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
  let ignored = false;
  for (const raw of patterns) {
    const keep = raw.startsWith("!");
    const re = ignoreRegex(keep ? raw.slice(1) : raw);
    if (candidates.some((c) => re.test(c))) ignored = !keep;
  }
  return ignored;
}

/** The patterns of a context's .dockerignore (none without one). */
export function dockerignore(context: string): string[] {
  const file = path.join(context, ".dockerignore");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
}

/** Every file of the context that `docker build` sends (relative paths). */
function contextFiles(context: string, ignore: readonly string[]): string[] {
  return readdirSync(context, { recursive: true, encoding: "utf8" })
    .map((f) => f.split(path.sep).join("/"))
    .filter((f) => !f.startsWith(".git/") && f !== ".git" && statSync(path.join(context, f)).isFile() && !ignoredBy(ignore, f));
}

/**
 * The environment a step starts from: only what finds node and npm's cache here (PATH, HOME), as
 * a container starts from the image's own — not this process's (npm test's npm_config_* would
 * change what npm ci does).
 */
export function hostEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const k of ["PATH", "HOME", "TMPDIR", "LANG"]) if (process.env[k] !== undefined) env[k] = process.env[k]!;
  return env;
}

export interface BuildOptions {
  /** Added to every RUN's environment (e.g. npm_config_prefer_offline), over the stage's ENV. */
  runEnv?: Record<string, string>;
  log?: (line: string) => void;
}

/** Carries out every stage of `dockerfile` with `context` as the build context, under `workRoot`; returns each stage as built. */
export function buildLikeDocker(context: string, dockerfile: string, workRoot: string, options: BuildOptions = {}): BuiltStage[] {
  const log = options.log ?? (() => {});
  const ignore = dockerignore(context);
  const files = contextFiles(context, ignore);
  const built: BuiltStage[] = [];
  parseDockerfile(readFileSync(dockerfile, "utf8")).forEach((stage, n) => {
    const s: BuiltStage = { name: stage.name, image: stage.image, root: path.join(workRoot, `stage-${n}`), workdir: "/", env: {}, expose: [] };
    mkdirSync(s.root, { recursive: true });
    const inside = (p: string) => path.join(s.root, path.posix.resolve(s.workdir, p));
    for (const ins of stage.instructions) {
      const where = `Dockerfile line ${ins.line} (${ins.op})`;
      switch (ins.op) {
        case "WORKDIR":
          s.workdir = path.posix.resolve(s.workdir, ins.args);
          mkdirSync(inside("."), { recursive: true });
          break;
        case "ENV":
          Object.assign(s.env, parseEnv(ins.args));
          break;
        case "COPY": {
          const words = ins.args.split(/\s+/);
          const flags = words.filter((w) => w.startsWith("--"));
          const [dest, ...sources] = words.filter((w) => !w.startsWith("--")).reverse();
          const from = flags.find((f) => f.startsWith("--from="))?.slice("--from=".length);
          const unknown = flags.filter((f) => !/^--(from|chown|chmod|link)=?/.test(f));
          if (unknown.length || !dest || sources.length === 0) throw new Error(`${where}: cannot read COPY ${ins.args}`);
          sources.reverse();
          const toDir = dest.endsWith("/") || sources.length > 1 || dest === ".";
          for (const src of sources) {
            if (from !== undefined) {
              const other = built.find((b) => b.name === from);
              if (!other) throw new Error(`${where}: no earlier stage named ${from}`);
              const origin = path.join(other.root, path.posix.resolve(other.workdir, src));
              if (!existsSync(origin)) throw new Error(`${where}: ${src} does not exist in stage ${from}`);
              cpSync(origin, toDir && statSync(origin).isFile() ? path.join(inside(dest), path.basename(src)) : inside(dest), { recursive: true });
            } else {
              const rel = path.posix.normalize(src).replace(/\/$/, "");
              const chosen = rel === "." ? files : files.filter((f) => f === rel || f.startsWith(`${rel}/`));
              if (chosen.length === 0) throw new Error(`${where}: ${src} is not in the build context (or .dockerignore leaves it out)`);
              for (const f of chosen) {
                const below = rel === "." ? f : f === rel ? path.posix.basename(f) : f.slice(rel.length + 1);
                const target = f === rel && !toDir ? inside(dest) : path.join(inside(dest), below);
                mkdirSync(path.dirname(target), { recursive: true });
                cpSync(path.join(context, f), target);
              }
            }
          }
          break;
        }
        case "RUN": {
          const command = ins.args.replace(/^(--\S+\s+)+/, "");
          log(`${stage.name ?? `stage ${n}`}: RUN ${command}`);
          const argv = command.startsWith("[") ? execForm(command, where) : ["sh", "-c", command];
          try {
            execFileSync(argv[0], argv.slice(1), { cwd: inside("."), env: { ...hostEnv(), ...s.env, ...options.runEnv }, stdio: ["ignore", "pipe", "pipe"] });
          } catch (err) {
            const e = err as { stdout?: Buffer; stderr?: Buffer; message: string };
            throw new Error(`${where}: ${command} failed: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
          }
          break;
        }
        case "USER":
          s.user = ins.args;
          break;
        case "EXPOSE":
          s.expose.push(...ins.args.split(/\s+/).map((p) => Number(p.replace(/\/tcp$/, ""))));
          break;
        case "HEALTHCHECK":
          s.healthcheck = execForm(ins.args.replace(/^(--\S+\s+)*CMD\s+/, ""), where);
          break;
        case "CMD":
          s.cmd = execForm(ins.args, where);
          break;
        default:
          throw new Error(`${where}: the test does not know ${ins.op}: teach test/support/dockerfile.ts what Docker does with it`);
      }
    }
    built.push(s);
  });
  return built;
}
