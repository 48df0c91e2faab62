/**
 * Replays: a game played again from its options and input log. The simulation is
 * deterministic, so a replay is the same game — the basis of the determinism tests and of
 * comparing a player with the bot that would have held their seat.
 */
import { InputLog, type InputRecord } from "./inputLog.ts";
import { Simulation, type SimulationOptions, type SimulationSnapshot } from "./Simulation.ts";

/**
 * Plays a saved game again from its start, by its input log, up to where it was saved. Refused
 * for a game whose log is incomplete (it filled up): its replay would be another game.
 */
export function replayOf(saved: SimulationSnapshot): Simulation {
  const refusal = InputLog.replayRefusal(saved.inputsDropped ?? 0);
  if (refusal) throw new Error(refusal);
  return replay({ scenario: saved.scenario, seed: saved.seed, difficulty: saved.difficulty, botsOff: saved.botsOff }, saved.inputLog, saved.tick);
}

/** Plays a recorded game again from its options and input log, up to `ticks`. */
export function replay(opts: SimulationOptions, log: readonly InputRecord[], ticks: number): Simulation {
  const sim = new Simulation(opts);
  const tokens = new Map<string, string>();
  let i = 0;
  const applyDue = () => {
    while (i < log.length && log[i].tick === sim.tick) {
      const rec = log[i++];
      if (rec.kind === "request") {
        const who = rec.who;
        let token = tokens.get(who.user);
        if (!token) {
          token = `replay:${who.user}`;
          sim.auth.issue(token, who);
          tokens.set(who.user, token);
        }
        sim.request(token, rec.request, rec.actor);
      } else if (rec.kind === "failure") sim.inject(rec.failure, rec.label);
      else sim.setBot(rec.seat, rec.on);
    }
  };
  for (let t = 0; t < ticks; t++) {
    applyDue();
    sim.step();
  }
  applyDue();
  return sim;
}
