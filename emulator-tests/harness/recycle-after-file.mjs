// Preloaded (--import) into every test file's process by `npm test`, which runs the files one at a
// time: when a file's tests are done, none of its requests is in flight, so the run's emulator
// workers are stopped before the next file starts. Without this a full run keeps a worker for
// every function it ever called, several gigabytes by the end.
import { recycleWorkers } from './workers.mjs';

let recycled = false;
process.on('beforeExit', () => {
  if (recycled || !process.env.SEATKEY_STAGE_DIR) return;
  recycled = true;
  // Keeps the event loop alive until the workers are gone; beforeExit fires again after it.
  void recycleWorkers();
});
