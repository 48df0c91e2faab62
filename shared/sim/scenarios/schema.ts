/**
 * The scenario format: a cluster layout, deployments with their services and traffic, timed
 * events, a win condition and the texts shown before and after. Scenarios are data (JSON files
 * beside this one) validated by this schema.
 */
import { z } from "zod";
import { SEAT_ROLES } from "../api/identity.ts";
import { FailureSchema } from "../failures/failures.ts";
import { CONCEPT_IDS } from "../../teaching/concepts.ts";

const nodeGroup = (max: number) => z.object({ count: z.number().int().min(1).max(max), cpu: z.number().int().min(500), memory: z.number().int().min(512) });

/**
 * How a scenario teaches one concept: what a seat does that embodies it, where the player sees it
 * fail, and the player-facing texts that tell it. Checked against the scenario by
 * test/sim/concepts.test.ts (the action happens in a bot-played run, the failure is one of the
 * scenario's events or an idle seat it is made for, the phrase is in the named text).
 */
export const TeachingSchema = z
  .object({
    does: z.array(z.object({ seat: z.enum(SEAT_ROLES), action: z.string().min(1) }).strict()).default([]),
    seesFail: z
      .object({
        /** A substring of one of the scenario's event labels, or `idle:<role>` for a seat the scenario is made for. */
        when: z.string().min(1),
        what: z.string().min(1),
      })
      .strict()
      .optional(),
    told: z
      .array(
        z
          .object({
            /** `intro`, `debrief`, `hint:<role>` or `question:<id>` (a question of the scenario's question file). */
            in: z.string().regex(/^(intro|debrief|hint:[a-z-]+|question:[a-z0-9-]+)$/, "intro, debrief, hint:<role> or question:<id>"),
            says: z.string().min(3),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();
export type Teaching = z.infer<typeof TeachingSchema>;

export const ScenarioSchema = z
  .object({
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
      /** Bare servers, powered but with nothing installed, named after the workers: players join them (world/nodeSetup.ts). */
      bareServers: nodeGroup(8).optional(),
    }),
    deployments: z.array(
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
    ),
    /**
     * The game waits for the class's own manifests (kubectl apply, see README): its deployments
     * may be empty. Every other scenario brings at least one.
     */
    waitsForManifests: z.boolean().default(false),
    /** "running": the game opens with every replica already serving; "empty": pods still to be created. */
    start: z.enum(["running", "empty"]),
    events: z.array(z.object({ atSec: z.number().min(0), failure: FailureSchema, label: z.string().optional() })),
    /** The concepts this scenario teaches, by id (shared/teaching/concepts.ts). */
    teaches: z.partialRecord(z.enum(CONCEPT_IDS), TeachingSchema).default({}),
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
  })
  .refine((s) => s.deployments.length > 0 || s.waitsForManifests, {
    message: "a scenario brings at least one deployment, unless it waits for the class's manifests (waitsForManifests)",
    path: ["deployments"],
  });

export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioDeployment = Scenario["deployments"][number];
