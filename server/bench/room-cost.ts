/**
 * What one running room costs the server's CPU, per scenario and speed: the figures behind the
 * simulation budget's cost table (server/limits/roomCost.ts). For each scenario it starts a
 * game-server process, opens K solo rooms with one client each, starts them at the given speed,
 * and reads the server process's CPU time (from /proc) over a window, minus the idle baseline.
 *
 *   npm run bench:rooms [-- --seconds 10 --speeds 1,4 --scenarios free-play,large-cluster --rooms 30 --mode solo]
 *
 * Linux only (it reads /proc/<pid>/stat). The budget is raised for the run so no room is refused.
 */
import "../polyfill.ts";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Client, type Room } from "@colyseus/sdk";
import { scenarioIds } from "../../shared/sim/scenarios/index.ts";
import { startServerProcess } from "./support.ts";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    speeds: { type: "string", default: "1,4" },
    scenarios: { type: "string" },
    rooms: { type: "string" },
    mode: { type: "string", default: "solo" },
  },
});
const SECONDS = Number(values.seconds);
const SPEEDS = values.speeds!.split(",").map(Number);
const SCENARIOS = values.scenarios ? values.scenarios.split(",") : scenarioIds();
/**
 * Rooms per measurement (--rooms): enough for a figure above the process's own overhead, few
 * enough to stay under one core. Ten or more small rooms; the large cluster at 4× alone is a
 * tenth of a core.
 */
const roomsFor = (scenario: string, speed: number) => Number(values.rooms) || (scenario === "large-cluster" ? (speed > 1 ? 1 : 3) : 10);

/** CPU time (user + system) of a process so far, ms. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in 1/100 s
}

async function cpuOver(pid: number, ms: number): Promise<number> {
  const c0 = cpuMs(pid);
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, ms));
  return (cpuMs(pid) - c0) / ((performance.now() - t0) / 1000); // CPU ms per wall second
}

async function measure(scenario: string, speed: number): Promise<{ rooms: number; perRoom: number }> {
  const { child, port } = await startServerProcess({ SIM_CPU_BUDGET: "1000000", MAX_ROOMS_PER_ADDRESS: "1000", MAX_ROOMS: "1000" });
  const rooms: Room[] = [];
  try {
    await new Promise((r) => setTimeout(r, 2000));
    const idle = await cpuOver(child.pid!, 3000);
    const n = roomsFor(scenario, speed);
    for (let i = 0; i < n; i++) {
      const room = await new Client(`ws://127.0.0.1:${port}`).create("cluster", { mode: values.mode, scenario, seed: i + 1 });
      room.onMessage("*", () => {});
      room.send("host.start", {});
      if (values.mode === "workshop") room.send("host.start", {});
      room.send("host.speed", { speed });
      rooms.push(room);
    }
    await new Promise((r) => setTimeout(r, 3000)); // warm-up
    const loaded = await cpuOver(child.pid!, SECONDS * 1000);
    return { rooms: n, perRoom: (loaded - idle) / n };
  } finally {
    for (const r of rooms) await r.leave().catch(() => undefined);
    child.kill("SIGKILL");
  }
}

console.log(`room cost: CPU ms per wall second per running solo room (one client), ${SECONDS} s windows`);
for (const scenario of SCENARIOS) {
  for (const speed of SPEEDS) {
    const { rooms, perRoom } = await measure(scenario, speed);
    console.log(`${scenario.padEnd(18)} ${String(speed).padStart(3)}×  ${perRoom.toFixed(1).padStart(6)} ms/s per room  (${rooms} rooms)`);
  }
}
process.exit(0);
