import type { Server } from 'node:http';

/**
 * Stops a server within a deadline: it stops accepting at once, idle keep-alive connections close, requests
 * in flight get until `deadlineMs` to finish (a turn that is half done should finish), then every connection
 * still open (a slow or stalled client) is cut. Resolves when the server is closed.
 */
export function drain(server: Server, deadlineMs: number): Promise<{ forced: boolean }> {
  return new Promise((resolve) => {
    let forced = false;
    const timer = setTimeout(() => {
      forced = true;
      server.closeAllConnections();
    }, deadlineMs);
    // A keep-alive connection whose request finishes during the drain goes idle: close it then, not at its timeout.
    const sweep = setInterval(() => server.closeIdleConnections(), 25);
    server.close(() => {
      clearTimeout(timer);
      clearInterval(sweep);
      resolve({ forced });
    });
    server.closeIdleConnections();
  });
}
