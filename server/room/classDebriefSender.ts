/**
 * Sends the class debrief (`class.debrief`, server/game/classEnd.ts) once every team's game is
 * over: to the host and the projector with report links that read every student's report, to
 * each student with links their own token completes — and again to anyone who joins later.
 */
import type { Client } from "@colyseus/core";
import type { ClassDebrief } from "../../shared/protocol/classViews.ts";
import { classDebriefOf } from "../game/classEnd.ts";
import type { ClassSession } from "../game/ClassSession.ts";

export class ClassDebriefSender {
  /** Connections that read the host's version (the host and the projector). */
  private readonly hosts = new Set<string>();
  private debriefs?: { host: ClassDebrief; student: ClassDebrief };

  constructor(private readonly session: ClassSession) {}

  /** Someone joined: as the host (or projector) or not; they get the debrief now if it is out. */
  joined(client: Client, host: boolean): void {
    if (host) this.hosts.add(client.sessionId);
    if (this.debriefs) this.send(client);
  }

  left(client: Client): void {
    this.hosts.delete(client.sessionId);
  }

  /** After each projection: the first time every team has reported its game over, everyone gets the debrief. */
  update(clients: Iterable<Client>): void {
    if (this.debriefs) return;
    const host = classDebriefOf(this.session, { host: true });
    const student = host && classDebriefOf(this.session, { host: false });
    if (!host || !student) return;
    this.debriefs = { host, student };
    for (const c of clients) this.send(c);
  }

  private send(client: Client): void {
    const d = this.debriefs!;
    client.send("class.debrief", this.hosts.has(client.sessionId) ? d.host : d.student);
  }
}
