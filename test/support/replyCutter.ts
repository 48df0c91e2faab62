/**
 * A TCP proxy in front of a Redis server that can lose one answer the way a network does at the
 * worst moment: the request reaches Redis and is applied, and the connection drops before the
 * reply comes back. Real sockets and a real Redis on both sides; only the timing is chosen.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export class ReplyCutter {
  private armed = false;
  /** A script (EVAL) went to Redis on this connection since arming: its reply is the one cut. */
  private readonly evalSent = new WeakSet<Socket>();
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(redisPort: number): Promise<ReplyCutter> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const cutter = new ReplyCutter(server, (server.address() as { port: number }).port);
    server.on("connection", (client) => cutter.pipe(client, connect(redisPort, "127.0.0.1")));
    return cutter;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** The reply to the next script sent (a store's commit) is lost: its connection drops instead. */
  cutNextScriptReply(): void {
    this.armed = true;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pipe(client: Socket, redis: Socket): void {
    for (const s of [client, redis]) {
      this.sockets.add(s);
      s.on("close", () => {
        this.sockets.delete(s);
        client.destroy();
        redis.destroy();
      });
      s.on("error", () => {});
    }
    client.on("data", (d) => {
      if (this.armed && /EVAL/i.test(d.toString("latin1"))) this.evalSent.add(client);
      redis.write(d);
    });
    redis.on("data", (d) => {
      if (this.armed && this.evalSent.has(client)) {
        this.armed = false;
        client.destroy();
        return;
      }
      client.write(d);
    });
  }
}
