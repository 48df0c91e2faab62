/**
 * The scenario format: a cluster layout, deployments with their services and traffic, timed
 * events, a win condition and the texts shown before and after. Scenarios are data (JSON files
 * beside this one) validated by this schema.
 */
import { z } from "zod";
import { SEAT_ROLES } from "../api/identity.ts";
import { FailureSchema } from "../failures/failures.ts";

const nodeGroup = (max: number) => z.object({ count: z.number().int().min(1).max(max), cpu: z.number().int().min(500), memory: z.number().int().min(512) });

export const ScenarioSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string(),
  /** One line for pickers. */
  summary: z.string(),
  /** Shown before the game: the situation and the goal. */
  intro: z.string(),
  /** Shown after the game: what happened and what Kubernetes teaches here. */
  debrief: z.string(),
  /**
   * The roles the scenario is made for: each is on its critical path, so a game where that role
   * does nothing ends visibly worse than with its bot (see shared/sim/matrix.ts). Empty for
   * scenarios made for watching.
   */
  seats: z.array(z.enum(SEAT_ROLES)),
  /** A hint per role, shown in that role's panel. */
  hints: z.object({
    scheduler: z.string(),
    "controller-manager": z.string(),
    kubelet: z.string(),
    "kube-proxy": z.string(),
  }),
  durationSec: z.number().int().min(10).max(3600),
  cluster: z.object({
    controlPlane: nodeGroup(7),
    workers: nodeGroup(200),
  }),
  deployments: z
    .array(
      z.object({
        name: z.string().regex(/^[a-z0-9-]+$/),
        replicas: z.number().int().min(0).max(1000),
        image: z.string(),
        cpu: z.number().int().min(10),
        memory: z.number().int().min(16),
        memoryLimit: z.number().int().min(16),
        memoryUsage: z.number().int().min(1),
        startupSec: z.number().min(0.1).max(120),
        capacityRps: z.number().min(0.1),
        /** A service in front of the deployment, and the traffic it receives: [second, rps] points. */
        service: z.object({ port: z.number().int().min(1).max(65535), traffic: z.array(z.tuple([z.number().min(0), z.number().min(0)])) }).optional(),
      }),
    )
    .min(1),
  /** "running": the game opens with every replica already serving; "empty": pods still to be created. */
  start: z.enum(["running", "empty"]),
  events: z.array(z.object({ atSec: z.number().min(0), failure: FailureSchema, label: z.string().optional() })),
  win: z.object({
    /** Availability the team must reach. */
    minAvailability: z.number().min(0).max(1),
    /** Over the whole game or the last minute. */
    window: z.enum(["game", "last-minute"]),
    /** Every deployment must have all its replicas serving at the end. */
    allReplicasReady: z.boolean(),
    /** At most this many containers may be OOM-killed. */
    maxOomKills: z.number().int().min(0).optional(),
  }),
});

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioDeployment = Scenario["deployments"][number];
