/**
 * Work spread over the event loop's turns: each task given to a OneTurnEach starts at least one
 * turn after the one before it, so whatever the process has to do meanwhile — accept a socket,
 * answer a join, tick another room — gets in between. The class room creates its team rooms
 * through one: creating a room resolves without waiting for any I/O, so a class's twelve games
 * created in one go ran as one long chain of promises and held the process 250–500 ms while other
 * classes' students were joining (and Node accepts one new connection per turn).
 */
export class OneTurnEach {
  private last: Promise<unknown> = Promise.resolve();

  /** Runs `task` a turn after the previous task started (whether that one succeeded or not). */
  run<T>(task: () => Promise<T>): Promise<T> {
    const turn = this.last.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    this.last = turn;
    return turn.then(task);
  }
}
