/** Boots the client: back into a running game after a reload, or the start screen. */
import { Connection } from "./net/connection.ts";
import { showStart } from "./ui/startScreen.ts";
import { showGame } from "./ui/gameScreen.ts";

const app = document.getElementById("app")!;
const connection = new Connection();

const resumed = await connection.resume();
if (resumed) showGame(app, connection);
else showStart(app, connection, () => showGame(app, connection));
