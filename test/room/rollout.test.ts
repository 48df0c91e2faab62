/**
 * A rollout played by a human controller manager: after the host changes a deployment's image,
 * the room state shows how many pods run the new template and which old pod may go now, and the
 * player's Create pod (one above desired) and Delete old pod requests carry the rollout through.
 */
import { expect } from "chai";
import { api, runningWorkshop, serverRoom, until } from "../support/gameServer.ts";
import { isActivePod } from "../../shared/sim/objects/types.ts";

describe("a rollout in the room", function () {
  this.timeout(60_000);

  it("the state shows updated pods and the removable old pod; a human controller manager rolls out pod by pod", async () => {
    const { host, student } = await runningWorkshop("first-pod", ["controller-manager"]);
    const room = await serverRoom(host.room.roomId);
    const sim = room.session.sim;
    // The student creates the three replicas first.
    for (let i = 0; i < 3; i++) expect((await api(student, "controller-manager", { type: "createPod", deployment: "web" })).code).to.equal(201);
    await until(() => sim.state.podsOf("web").filter((p) => p.status.ready).length === 3, 20_000, "three ready web pods");
    const d = sim.state.deployments.get("web")!;
    const t = d.spec.template;
    const update = {
      type: "updateDeployment",
      deployment: {
        name: "web",
        replicas: 3,
        selector: d.spec.selector,
        templateLabels: d.spec.selector,
        image: "nginx:1.28",
        requests: t.requests,
        memoryLimit: t.memoryLimit,
        startupMs: t.startupMs,
        capacityRps: t.capacityRps,
      },
    };
    const updated = room.session.apiRequest(room.session.hostToken, update as never);
    expect(updated.code, updated.message).to.equal(200);
    const view = () => host.room.state.deployments.get("web")!;
    await until(() => view().updated === 0 && view().removable === "", 5000, "the state shows the rollout");
    for (let round = 0; round < 3; round++) {
      expect((await api(student, "controller-manager", { type: "createPod", deployment: "web" })).code, `round ${round}: a new pod`).to.equal(201);
      await until(() => view().removable !== "", 20_000, `round ${round}: an old pod may go once the new one is ready`);
      const old = view().removable;
      expect(sim.state.pods.get(old)!.spec.image).to.equal("nginx:1.27");
      expect((await api(student, "controller-manager", { type: "deletePod", pod: old })).code).to.equal(200);
      await until(() => view().removable !== old && view().updated === round + 1, 10_000, `round ${round}: the old pod is going`);
    }
    await until(() => view().removable === "" && sim.state.podsOf("web").filter(isActivePod).length === 3, 10_000, "done");
    expect(
      sim.state
        .podsOf("web")
        .filter(isActivePod)
        .every((p) => p.spec.image === "nginx:1.28"),
    ).to.equal(true);
    await student.room.leave();
    await host.room.leave();
  });
});
