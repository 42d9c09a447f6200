/**
 * A parse worker (src/discover/parallel.ts): receives batches of parse jobs, answers each with the results
 * in order, or with null when a result cannot be carried back (the main thread then parses that batch).
 */
import { parentPort } from 'node:worker_threads';
import { loadParsers, runParseJob, type ParseJob } from '../frameworks/parsers.js';

const port = parentPort;
if (port) {
  // Batches are answered in the order they came: each waits for the one before it.
  let last: Promise<void> = Promise.resolve();
  port.on('message', (batch: ParseJob[]) => {
    last = last.then(async () => {
      try {
        await loadParsers(new Set(batch.map((j) => j.parser)));
        port.postMessage(batch.map(runParseJob));
      } catch {
        port.postMessage(null);
      }
    });
  });
}
