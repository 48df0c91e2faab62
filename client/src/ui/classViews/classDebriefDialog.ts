/**
 * The class debrief on a host's or student's own screen (team mode): once the class sends
 * `class.debrief`, a button *How the teams did* stays in the corner of every screen (the team's
 * own debrief included) and opens the comparison in a dialog (Esc closes it). A student's report
 * link takes their own token in their team room, so it opens their report and no one else's.
 */
import type { ClassDebrief } from "../../../../shared/protocol/classMessages.ts";
import type { ClassLink } from "../../net/classLink.ts";
import type { Connection } from "../../net/connection.ts";
import { classDebriefHtml } from "./classDebriefView.ts";

/** Shows the button once the class debrief arrives; the dialog always shows the latest one. */
export function offerClassDebrief(link: ClassLink, connection: Connection): void {
  let latest: ClassDebrief | undefined;
  const open = () => {
    if (!latest) return;
    const w = link.welcome;
    const student = w && !w.host;
    const state = link.room?.state as { board?: string; noSpeedPoints?: boolean } | undefined;
    // The role leaderboard ranks speed: shown only while the host shows the ranking and gives points for speed.
    const html = classDebriefHtml(latest, {
      ranked: (state?.board ?? "ranked") === "ranked" && !state?.noSpeedPoints,
      ...(student ? { nickname: w.nickname, token: connection.token } : {}),
    });
    let dialog = document.querySelector<HTMLDialogElement>("dialog.class-debrief-dialog");
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.className = "class-debrief-dialog";
      dialog.setAttribute("aria-label", "How the teams did");
      document.body.append(dialog);
    }
    dialog.innerHTML = `<form method="dialog"><button class="close">Close</button></form>${html}`;
    dialog.showModal();
  };
  link.onDebrief((d) => {
    latest = d;
    if (document.getElementById("class-debrief-open")) return;
    const button = document.createElement("button");
    button.id = "class-debrief-open";
    button.className = "primary";
    button.textContent = "How the teams did";
    button.addEventListener("click", open);
    document.body.append(button);
  });
}
