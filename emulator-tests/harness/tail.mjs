// Streams a file that another process is writing to our stdout, until stopped.
import { closeSync, existsSync, openSync, readSync } from 'node:fs';

export function tailFile(path) {
  let fd;
  let offset = 0;
  const buf = Buffer.alloc(64 * 1024);
  const pump = () => {
    if (fd === undefined) {
      if (!existsSync(path)) return;
      fd = openSync(path, 'r');
    }
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, offset);
      if (n <= 0) break;
      offset += n;
      process.stdout.write(buf.subarray(0, n));
    }
  };
  const timer = setInterval(pump, 200);
  return () => {
    clearInterval(timer);
    pump();
    if (fd !== undefined) closeSync(fd);
  };
}
