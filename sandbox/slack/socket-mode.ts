import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';

/** What an app answered to one envelope: its ack payload (slash commands may answer with a message). */
export interface SocketAck {
  payload?: Record<string, unknown>;
  elapsedMs: number;
}

/**
 * Slack's side of Socket Mode (https://api.slack.com/apis/socket-mode): `apps.connections.open` hands the app a
 * WebSocket URL; Slack says `hello`, then sends envelopes the app must acknowledge by envelope id.
 */
export class SocketModeServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sockets = new Set<WebSocket>();
  private readonly pending = new Map<string, (ack: Omit<SocketAck, 'elapsedMs'>) => void>();
  private readonly tickets = new Set<string>();
  private connected: (() => void)[] = [];

  constructor(server: Server) {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      const ticket = url.searchParams.get('ticket') ?? '';
      if (url.pathname !== '/link' || !this.tickets.delete(ticket)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
  }

  /** A one-use URL, as `apps.connections.open` returns it. */
  openUrl(base: string): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${base.replace(/^http/, 'ws')}/link?ticket=${ticket}`;
  }

  /** Resolves once an app holds an open connection that has been greeted. */
  whenConnected(): Promise<void> {
    if (this.sockets.size > 0) return Promise.resolve();
    return new Promise((resolve) => this.connected.push(resolve));
  }

  /** Sends an envelope to a connected app and waits for its ack. */
  async send(type: 'slash_commands' | 'interactive' | 'events_api', payload: unknown): Promise<SocketAck> {
    const ws = [...this.sockets][0];
    if (!ws) throw new Error('socket mode: no app is connected');
    const envelopeId = randomUUID();
    const started = performance.now();
    const acked = new Promise<Omit<SocketAck, 'elapsedMs'>>((resolve) => this.pending.set(envelopeId, resolve));
    ws.send(
      JSON.stringify({
        envelope_id: envelopeId,
        type,
        payload,
        accepts_response_payload: type !== 'events_api',
        retry_attempt: 0,
        retry_reason: '',
      }),
    );
    const ack = await acked;
    return { ...ack, elapsedMs: performance.now() - started };
  }

  close(): void {
    for (const ws of this.sockets) ws.terminate();
    this.wss.close();
  }

  private accept(ws: WebSocket): void {
    ws.on('message', (data) => {
      let msg: { envelope_id?: string; payload?: Record<string, unknown> };
      try {
        msg = JSON.parse(String(data)) as typeof msg;
      } catch {
        return;
      }
      const resolve = msg.envelope_id ? this.pending.get(msg.envelope_id) : undefined;
      if (!resolve) return;
      this.pending.delete(msg.envelope_id!);
      resolve(msg.payload ? { payload: msg.payload } : {});
    });
    ws.on('close', () => this.sockets.delete(ws));
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: 1,
        connection_info: { app_id: 'A0CORDON' },
        debug_info: { host: 'sandbox', approximate_connection_time: 3600 },
      }),
    );
    this.sockets.add(ws);
    for (const resolve of this.connected.splice(0)) resolve();
  }
}
