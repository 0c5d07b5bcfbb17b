import type { Response } from 'restify';

/** Sent with every tab API response: nothing about a user's presence is cached anywhere. */
const API_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

export function sendJson(res: Response, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  res.json(status, body, { ...API_HEADERS, ...headers });
}
