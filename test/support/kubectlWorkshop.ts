/**
 * The kubectl suites' common setting: a running workshop (a host and a student) on the test game
 * server, the room it runs in, and a real kubectl for each of them — the host's is the cluster
 * admin, the student's acts as the seats they hold.
 */
import type { ClusterRoom } from "../../server/room/ClusterRoom.ts";
import { gameServer, runningWorkshop, serverRoom, type Joined } from "./gameServer.ts";
import { kubectlFor, type Kubectl, type KubectlBinary } from "./kubectl.ts";

export interface KubectlWorkshop {
  host: Joined;
  student: Joined;
  room: ClusterRoom;
  admin: Kubectl;
  player: Kubectl;
}

/** A workshop of `scenario` under way, the student in `seats`, with `binary` for both. */
export async function kubectlWorkshop(binary: KubectlBinary, scenario: string, seats: string[] = []): Promise<KubectlWorkshop> {
  const { host, student } = await runningWorkshop(scenario, seats);
  const room = await serverRoom(host.room.roomId);
  const { apiUrl } = await gameServer();
  const admin = kubectlFor(apiUrl, host.welcome.pin, host.welcome.hostToken!, "host", binary.path);
  const player = kubectlFor(apiUrl, host.welcome.pin, (student.welcome as { apiToken?: string }).apiToken!, "student", binary.path);
  return { host, student, room, admin, player };
}

/** The workshop's two players leave (its room then closes). */
export async function leaveWorkshop(w: Pick<KubectlWorkshop, "host" | "student">): Promise<void> {
  await w.student.room.leave();
  await w.host.room.leave();
}
