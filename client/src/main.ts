/** Boots the client: back into a running game after a reload, or the start screen. */
import { Connection } from "./net/connection.ts";
import { showStart } from "./ui/startScreen.ts";
import { showGame } from "./ui/gameScreen.ts";
import { wireGlossary } from "./ui/glossary.ts";
import { showProjector } from "./ui/classViews/projector.ts";

const app = document.getElementById("app")!;
const connection = new Connection();
// The seed's terms in any rendered text show their meaning on hover, tap or focus.
wireGlossary();

// The projector view of a class (classViews/projector.ts): the wall, not a player.
if (new URLSearchParams(location.search).has("projector")) void showProjector(app);
else {
  const resumed = await connection.resume();
  if (resumed) showGame(app, connection);
  else showStart(app, connection, () => showGame(app, connection));
}
