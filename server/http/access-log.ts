/**
 * The access log (method, path, status, time: never a token), to stdout. Lines are gathered and
 * written once per turn of the event loop: console.log to a pipe or a file is a synchronous
 * write on Linux, and one per request was ~3% of the server's CPU at a plenary's ~1,000 ballots
 * a second (the ingest bench's profile). A crash loses at most the lines of that one turn.
 */
export function createAccessLog(write: (text: string) => void = (text) => process.stdout.write(text)): (line: string) => void {
  let pending: string[] = [];
  const flush = () => {
    const lines = pending;
    pending = [];
    write(`${lines.join('\n')}\n`);
  };
  return (line) => {
    if (pending.push(line) === 1) setImmediate(flush);
  };
}
