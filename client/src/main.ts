/** Boots the client: back into a running game or class after a reload, or the start screen. */
import { Connection } from "./net/connection.ts";
import { ClassLink } from "./net/classLink.ts";
import { showStart } from "./ui/startScreen.ts";
import { showGame } from "./ui/gameScreen.ts";
import { showClassLobby } from "./ui/classLobby.ts";
import { wireGlossary } from "./ui/glossary.ts";
import { showProjector } from "./ui/classViews/projector.ts";
import { offerClassDebrief } from "./ui/classViews/classDebriefDialog.ts";

const app = document.getElementById("app")!;
const connection = new Connection();
const link = new ClassLink(connection);
// Leaving a team's game: a student leaves the class too; the host goes back to the class.
connection.onLeaving = async () => {
  if (link.room && !link.welcome?.host) await link.leave();
};
offerClassDebrief(link, connection);
// The seed's terms in any rendered text show their meaning on hover, tap or focus.
wireGlossary();

const game = () => showGame(app, connection);
const lobby = () => showClassLobby(app, link, game);
// The projector view of a class (classViews/projector.ts): the wall, not a player.
if (new URLSearchParams(location.search).has("projector")) void showProjector(app);
else if (await link.resume()) lobby();
else if (await connection.resume()) game();
else showStart(app, connection, game, { link, enter: lobby });
