/**
 * Node 20 has no global WebSocket, which @colyseus/core uses on its reconnection path
 * ("ReferenceError: WebSocket is not defined"). Import this first in every server entry point;
 * on Node 22+ it does nothing.
 */
import { WebSocket as WsWebSocket } from "ws";

const g = globalThis as { WebSocket?: unknown };
if (typeof g.WebSocket === "undefined") g.WebSocket = WsWebSocket;
